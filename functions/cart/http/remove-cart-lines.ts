import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { cartDeps } from '../cart.deps.js';
import { cartSchema, removeCartBody } from '../cart.schemas.js';
import { removeLines } from '../cart.service.js';

export const removeCartLinesHttp = defineHttp({
  name: 'cart-remove-lines',
  route: 'cart/removecart',
  methods: ['POST'],
  access: 'user',
  bodyKind: 'json',
  body: removeCartBody,
  response: cartSchema,
  summary: 'Remove lines of your own cart: the body is a bare JSON array of cartDetailsId numbers',
  tags: ['cart'],
  async handler({ caller, body, baseUrl }) {
    const { cart, message } = await removeLines(cartDeps(), caller, body, baseUrl);
    return ok(cart, message);
  },
});
