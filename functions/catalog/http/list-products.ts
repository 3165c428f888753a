import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { catalogDeps } from '../catalog.deps.js';
import { productListQuery, productPageSchema } from '../catalog.schemas.js';
import { listProducts } from '../catalog.service.js';

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
    'Empty parameters are ignored; ties are ordered by id so pages never overlap.',
  tags: ['catalog'],
  async handler({ query, baseUrl }) {
    return ok(await listProducts(catalogDeps(), query, baseUrl));
  },
});
