import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { catalogDeps } from '../catalog.deps.js';
import { productIdParams, productSchema } from '../catalog.schemas.js';
import { getProduct } from '../catalog.service.js';

export const getProductHttp = defineHttp({
  name: 'catalog-get-product',
  route: 'product/{id:int}',
  methods: ['GET'],
  access: 'public',
  bodyKind: 'none',
  params: productIdParams,
  response: productSchema,
  summary: 'A product (404 when unknown or deleted); counts one view',
  tags: ['catalog'],
  async handler({ params, baseUrl }) {
    return ok(await getProduct(catalogDeps(), params.id, baseUrl));
  },
});
