import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { couponsDeps } from '../coupons.deps.js';
import { couponSchema, updateCouponBody } from '../coupons.schemas.js';
import { updateCoupon } from '../coupons.service.js';

export const updateCouponHttp = defineHttp({
  name: 'coupons-update',
  route: 'coupon',
  methods: ['PUT'],
  access: 'admin',
  bodyKind: 'json',
  body: updateCouponBody,
  response: couponSchema,
  summary: 'Update a coupon by couponId; fields left out keep their value, null clears an optional one',
  tags: ['coupons'],
  async handler({ body }) {
    return ok(await updateCoupon(couponsDeps(), body), 'Coupon updated.');
  },
});
