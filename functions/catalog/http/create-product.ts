import { z } from 'zod';
import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { catalogDeps } from '../catalog.deps.js';
import { createProductForm } from '../catalog.schemas.js';
import { createProduct } from '../catalog.service.js';

export const createProductHttp = defineHttp({
  name: 'catalog-create-product',
  route: 'product',
  methods: ['POST'],
  access: 'admin',
  bodyKind: 'multipart',
  body: createProductForm,
  files: { imagePhotos: { maxCount: 10 } },
  response: z.number().int(),
  summary:
    'Create a product (multipart: name, description as HTML, which is sanitised, price, ' +
    'priceBeforeDiscount (absent or 0: no discount), quantity, categoryId, brandId, rating 0-5, and 1-10 ' +
    'imagePhotos: JPEG, PNG, WebP or GIF; the first is the main photo). Names are unique among live ' +
    'products, ignoring case. data = the new product id',
  tags: ['catalog'],
  async handler({ body, files }) {
    return ok(await createProduct(catalogDeps(), body, files), 'Product created.');
  },
});
