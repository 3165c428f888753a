import { z } from 'zod';
import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { catalogDeps } from '../catalog.deps.js';
import { productIdParams } from '../catalog.schemas.js';
import { deleteProduct } from '../catalog.service.js';

export const deleteProductHttp = defineHttp({
  name: 'catalog-delete-product',
  route: 'product/{id:int}',
  methods: ['DELETE'],
  access: 'admin',
  bodyKind: 'none',
  params: productIdParams,
  response: z.null(),
  summary:
    'Delete a product: it leaves the list, the detail and sale; past orders keep showing it and its photos',
  tags: ['catalog'],
  async handler({ params }) {
    await deleteProduct(catalogDeps(), params.id);
    return ok(null, 'Product deleted.');
  },
});
