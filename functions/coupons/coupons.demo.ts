import type { Platform } from '../../shared/platform/platform.js';
import { couponsDeps } from './coupons.deps.js';
import { findCouponByCode } from './coupons.repository.js';
import { createCoupon } from './coupons.service.js';
import type { CreateCouponInput } from './coupons.schemas.js';

const demoCoupons: CreateCouponInput[] = [
  { couponCode: 'SAVE10', discountType: 'fixed', discountAmount: 10_00, minAmount: 50_00 },
  {
    couponCode: 'WELCOME15',
    discountType: 'percent',
    discountAmount: 15_00,
    minAmount: 0,
    maxDiscount: 30_00,
  },
  { couponCode: 'BIG20', discountType: 'fixed', discountAmount: 20_00, minAmount: 100_00, usageLimit: 100 },
];

/** A few coupons for the local demo shop. Idempotent. */
export async function seedDemoCoupons(platform: Platform): Promise<void> {
  const deps = couponsDeps(platform);
  for (const coupon of demoCoupons) {
    if (!(await findCouponByCode(deps.db, coupon.couponCode))) await createCoupon(deps, coupon);
  }
}
