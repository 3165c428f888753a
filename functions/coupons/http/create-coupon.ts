import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { couponsDeps } from '../coupons.deps.js';
import { couponSchema, createCouponBody } from '../coupons.schemas.js';
import { createCoupon } from '../coupons.service.js';

export const createCouponHttp = defineHttp({
  name: 'coupons-create',
  route: 'coupon',
  methods: ['POST'],
  access: 'admin',
  bodyKind: 'json',
  body: createCouponBody,
  response: couponSchema,
  summary: 'Create a coupon (code unique regardless of case)',
  tags: ['coupons'],
  async handler({ body }) {
    return ok(await createCoupon(couponsDeps(), body), 'Coupon created.');
  },
});
