import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { cartDeps } from '../cart.deps.js';
import { cartSchema, userIdParams } from '../cart.schemas.js';
import { getCart } from '../cart.service.js';

export const getCartHttp = defineHttp({
  name: 'cart-get',
  route: 'cart/getcart/{userId}',
  methods: ['GET'],
  access: 'user',
  bodyKind: 'none',
  params: userIdParams,
  response: cartSchema.nullable(),
  summary:
    'A cart at current prices, lines newest first (your own, or anyone’s for an ADMIN); null when there is none',
  tags: ['cart'],
  async handler({ caller, params, baseUrl }) {
    const { cart, message } = await getCart(cartDeps(), caller, params.userId, baseUrl);
    return ok(cart, message);
  },
});
