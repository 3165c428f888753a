import { defineHttp } from '../../../shared/http/define.js';
import { publicAnswer } from '../../../shared/http/conditional.js';
import { catalogDeps } from '../catalog.deps.js';
import { productIdParams, productSchema } from '../catalog.schemas.js';
import { getProductRead } from '../catalog.service.js';

export const getProductHttp = defineHttp({
  name: 'catalog-get-product',
  route: 'product/{id:int}',
  methods: ['GET'],
  access: 'public',
  bodyKind: 'none',
  params: productIdParams,
  response: productSchema,
  summary:
    'A product (404 when unknown or deleted); counts one view (written within seconds). Sends a strong ' +
    'ETag; If-None-Match with it answers 304 while the catalog has not changed (the view still counts).',
  tags: ['catalog'],
  handler({ params, baseUrl, headers }) {
    const deps = catalogDeps();
    return getProductRead(deps, params.id, baseUrl).then((read) =>
      publicAnswer(read, headers, deps.cacheSeconds),
    );
  },
});
