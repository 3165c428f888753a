import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { cartDeps } from '../cart.deps.js';
import { cartSchema, upsertCartBody } from '../cart.schemas.js';
import { upsertCart } from '../cart.service.js';

export const upsertCartHttp = defineHttp({
  name: 'cart-upsert',
  route: 'cart/cartupsert',
  methods: ['POST'],
  access: 'user',
  bodyKind: 'json',
  body: upsertCartBody,
  response: cartSchema,
  summary:
    'Set the count of cart lines (0 removes one); echoes the posted lines with ids and current products',
  tags: ['cart'],
  async handler({ caller, body, baseUrl }) {
    const { cart, message } = await upsertCart(cartDeps(), caller, body, baseUrl);
    return ok(cart, message);
  },
});
