import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { cartDeps } from '../cart.deps.js';
import { cartSchema, removeCouponBody } from '../cart.schemas.js';
import { removeCoupon } from '../cart.service.js';

export const removeCouponHttp = defineHttp({
  name: 'cart-remove-coupon',
  route: 'cart/removecoupon',
  methods: ['POST'],
  access: 'user',
  bodyKind: 'json',
  body: removeCouponBody,
  response: cartSchema.nullable(),
  summary: 'Remove the coupon from the cart',
  tags: ['cart'],
  async handler({ caller, body, baseUrl }) {
    const { cart, message } = await removeCoupon(
      cartDeps(),
      caller,
      { userId: body.cartHeader?.userId },
      baseUrl,
    );
    return ok(cart, message);
  },
});
