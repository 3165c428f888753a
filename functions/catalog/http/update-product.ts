import { z } from 'zod';
import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { catalogDeps } from '../catalog.deps.js';
import { updateProductForm } from '../catalog.schemas.js';
import { updateProduct } from '../catalog.service.js';

export const updateProductHttp = defineHttp({
  name: 'catalog-update-product',
  route: 'product',
  methods: ['PUT'],
  access: 'admin',
  bodyKind: 'multipart',
  body: updateProductForm,
  files: { imagePhotos: { maxCount: 10 } },
  response: z.number().int(),
  summary:
    'Update a product (multipart with id; absent or empty fields keep their value). Photos: new imagePhotos are ' +
    'added; removeImageIds (e.g. "3,4") removes photos (their files stay for past orders); mainImageId picks the ' +
    'main photo among the remaining ones, otherwise the main photo stays, or the oldest remaining becomes main if ' +
    'it was removed. A product keeps at least one photo. quantity is the number available for sale (as the ' +
    'product shows it): units held by unpaid orders stay held on top of it, so saving the form never takes ' +
    "stock away from orders. version (optional, the product's version when the form was loaded): if the " +
    'product has changed since (an edit or an order), 409 and nothing is saved; reload it. A price change ' +
    'emits ProductPriceChanged. data = the id',
  tags: ['catalog'],
  async handler({ body, files }) {
    return ok(await updateProduct(catalogDeps(), body, files), 'Product updated.');
  },
});
