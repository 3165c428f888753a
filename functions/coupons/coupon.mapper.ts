import { toDecimal } from '../../shared/money.js';
import type { CouponTerms } from './coupon-pricing.js';
import type { Coupon } from './coupons.schemas.js';
import type { CouponRow } from './coupons.tables.js';

export function toCoupon(row: CouponRow): Coupon {
  return {
    couponId: row.id,
    couponCode: row.code,
    discountType: row.discount_type,
    discountAmount: toDecimal(row.discount_value),
    minAmount: toDecimal(row.min_amount),
    maxDiscount: row.max_discount === null ? null : toDecimal(row.max_discount),
    startsAt: row.starts_at?.toISOString() ?? null,
    endsAt: row.ends_at?.toISOString() ?? null,
    usageLimit: row.usage_limit,
    perCustomerLimit: row.per_customer_limit,
    timesUsed: row.times_used,
    active: row.is_active,
    ownerUserId: row.owner_user_id,
  };
}

export function toTerms(row: CouponRow): CouponTerms {
  return {
    discountType: row.discount_type,
    discountValue: row.discount_value,
    minAmountMinor: row.min_amount,
    maxDiscountMinor: row.max_discount,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    usageLimit: row.usage_limit,
    perCustomerLimit: row.per_customer_limit,
    timesUsed: row.times_used,
    active: row.is_active,
    ownerUserId: row.owner_user_id,
  };
}

/** Codes are stored upper case; a look-up normalises the same way. */
export function normaliseCode(code: string): string {
  return code.trim().toUpperCase();
}
