import { z } from 'zod';
import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { couponsDeps } from '../coupons.deps.js';
import { couponSchema, listCouponsQuery } from '../coupons.schemas.js';
import { listCoupons } from '../coupons.service.js';

export const listCouponsHttp = defineHttp({
  name: 'coupons-list',
  route: 'coupon',
  methods: ['GET'],
  access: 'admin',
  bodyKind: 'none',
  query: listCouponsQuery,
  response: z.array(couponSchema),
  summary: 'Every coupon, newest first (optional pageIndex/pageSize, at most 1000 a page)',
  tags: ['coupons'],
  async handler({ query }) {
    return ok(await listCoupons(couponsDeps(), query));
  },
});
