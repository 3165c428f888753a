import { register } from '../../shared/functions/registry.js';
import { seedDemoCatalog } from './demo.js';
import { createNamedHttp } from './http/create-named.js';
import { createProductHttp } from './http/create-product.js';
import { deleteNamedHttp } from './http/delete-named.js';
import { deleteProductHttp } from './http/delete-product.js';
import { getProductHttp } from './http/get-product.js';
import { listNamedHttp } from './http/list-named.js';
import { listProductsHttp } from './http/list-products.js';
import { updateNamedHttp } from './http/update-named.js';
import { updateProductHttp } from './http/update-product.js';
import { createCatalog } from './migrations/2026_11_25_1000_create_catalog.js';

register.domain({ name: 'catalog', migrations: [createCatalog], demo: seedDemoCatalog });
register.http(listProductsHttp, getProductHttp, createProductHttp, updateProductHttp, deleteProductHttp);
for (const kind of ['brands', 'categories'] as const) {
  register.http(listNamedHttp(kind), createNamedHttp(kind), updateNamedHttp(kind), deleteNamedHttp(kind));
}
