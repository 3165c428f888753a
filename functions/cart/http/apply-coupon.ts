import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { cartDeps } from '../cart.deps.js';
import { applyCouponBody, cartSchema } from '../cart.schemas.js';
import { applyCoupon } from '../cart.service.js';

export const applyCouponHttp = defineHttp({
  name: 'cart-apply-coupon',
  route: 'cart/applycoupon',
  methods: ['POST'],
  access: 'user',
  bodyKind: 'json',
  body: applyCouponBody,
  response: cartSchema.nullable(),
  summary: 'Apply a coupon code to the cart (an empty code removes it)',
  tags: ['cart'],
  async handler({ caller, body, baseUrl }) {
    const { cart, message } = await applyCoupon(cartDeps(), caller, body.cartHeader, baseUrl);
    return ok(cart, message);
  },
});
