import { z } from 'zod';
import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { couponsDeps } from '../coupons.deps.js';
import { couponIdParams } from '../coupons.schemas.js';
import { deleteCoupon } from '../coupons.service.js';

export const deleteCouponHttp = defineHttp({
  name: 'coupons-delete',
  route: 'coupon/{id}',
  methods: ['DELETE'],
  access: 'admin',
  bodyKind: 'none',
  params: couponIdParams,
  response: z.null(),
  summary: 'Delete a coupon; one that orders redeemed is archived instead (hidden, inactive, code freed)',
  tags: ['coupons'],
  async handler({ params }) {
    const outcome = await deleteCoupon(couponsDeps(), params.id);
    return ok(
      null,
      outcome === 'deleted'
        ? 'Coupon deleted.'
        : 'Coupon archived: orders have used it, so it is kept for them.',
    );
  },
});
