import { register } from '../../shared/functions/registry.js';
import { rewriteEveryCard, writeMissingCards } from './cards.service.js';
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
import { onOrderCancelled } from './messages/on-order-cancelled.js';
import { onOrderPaid } from './messages/on-order-paid.js';
import { createCatalog } from './migrations/2026_11_25_1000_create_catalog.js';
import { splitStock } from './migrations/2026_12_03_0900_split_stock.js';
import { catalogRevision } from './migrations/2026_12_04_0900_catalog_revision.js';
import { productCards } from './migrations/2026_12_05_0900_product_cards.js';

register.domain({
  name: 'catalog',
  migrations: [createCatalog, splitStock, catalogRevision, productCards],
  bootstrap: writeMissingCards,
  afterDeploy: rewriteEveryCard,
  demo: seedDemoCatalog,
});
register.http(listProductsHttp, getProductHttp, createProductHttp, updateProductHttp, deleteProductHttp);
for (const kind of ['brands', 'categories'] as const) {
  register.http(listNamedHttp(kind), createNamedHttp(kind), updateNamedHttp(kind), deleteNamedHttp(kind));
}
register.consumer(onOrderPaid, onOrderCancelled);
