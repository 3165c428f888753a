import { register } from '../../shared/functions/registry.js';
import { seedDemoCoupons } from './coupons.demo.js';
import { createCouponHttp } from './http/create-coupon.js';
import { deleteCouponHttp } from './http/delete-coupon.js';
import { getCouponByCodeHttp } from './http/get-coupon-by-code.js';
import { getCouponHttp } from './http/get-coupon.js';
import { listCouponsHttp } from './http/list-coupons.js';
import { updateCouponHttp } from './http/update-coupon.js';
import { releaseRedemptionOnOrderCancelled } from './messages/on-order-cancelled.js';
import { commitRedemptionOnOrderPaid } from './messages/on-order-paid.js';
import { couponsMigrations } from './migrations/2026_11_25_1100_create_coupons.js';
import { personalCoupons } from './migrations/2026_12_03_1100_personal_coupons.js';
import { bigintRedemptionAmounts } from './migrations/2026_12_05_1000_bigint_amounts.js';

register.domain({
  name: 'coupons',
  migrations: [...couponsMigrations, personalCoupons, bigintRedemptionAmounts],
  demo: seedDemoCoupons,
});
register.http(
  listCouponsHttp,
  getCouponHttp,
  getCouponByCodeHttp,
  createCouponHttp,
  updateCouponHttp,
  deleteCouponHttp,
);
register.consumer(commitRedemptionOnOrderPaid, releaseRedemptionOnOrderCancelled);
