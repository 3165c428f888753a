import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { couponsDeps } from '../coupons.deps.js';
import { couponIdParams, couponSchema } from '../coupons.schemas.js';
import { getCoupon } from '../coupons.service.js';

export const getCouponHttp = defineHttp({
  name: 'coupons-get',
  route: 'coupon/{id}',
  methods: ['GET'],
  access: 'admin',
  bodyKind: 'none',
  params: couponIdParams,
  response: couponSchema,
  summary: 'One coupon by id',
  tags: ['coupons'],
  async handler({ params }) {
    return ok(await getCoupon(couponsDeps(), params.id));
  },
});
