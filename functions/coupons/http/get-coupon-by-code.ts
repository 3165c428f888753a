import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { couponsDeps } from '../coupons.deps.js';
import { couponCodeParams, couponSchema } from '../coupons.schemas.js';
import { getCouponByCode } from '../coupons.service.js';

export const getCouponByCodeHttp = defineHttp({
  name: 'coupons-get-by-code',
  route: 'coupon/getbycode/{code}',
  methods: ['GET'],
  access: 'user',
  bodyKind: 'none',
  params: couponCodeParams,
  response: couponSchema,
  summary: 'An active coupon by its code, ignoring case (another customer’s personal coupon is not found)',
  tags: ['coupons'],
  async handler({ params, caller }) {
    return ok(await getCouponByCode(couponsDeps(), params.code, caller));
  },
});
