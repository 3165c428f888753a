import { defineHttp } from '../../../shared/http/define.js';
import { publicAnswer } from '../../../shared/http/conditional.js';
import { catalogDeps } from '../catalog.deps.js';
import { productListQuery, productPageSchema } from '../catalog.schemas.js';
import { listProductsRead } from '../catalog.service.js';

export const listProductsHttp = defineHttp({
  name: 'catalog-list-products',
  route: 'product',
  methods: ['GET'],
  access: 'public',
  bodyKind: 'none',
  query: productListQuery,
  response: productPageSchema,
  summary:
    'One page of products: pageIndex (1), pageSize (20, capped at 50), sort name|sold|view|priceAsc|priceDesc, ' +
    'filters categoryId, brandId, search (name contains, any case), priceMin, priceMax, ratingNumber (minimum). ' +
    'Empty parameters are ignored; ties are ordered by id so pages never overlap. Sends a strong ETag; ' +
    'If-None-Match with it answers 304 while the catalog has not changed.',
  tags: ['catalog'],
  handler({ query, baseUrl, headers }) {
    const deps = catalogDeps();
    return listProductsRead(deps, query, baseUrl).then((read) =>
      publicAnswer(read, headers, deps.cacheSeconds),
    );
  },
});
