import { percentOf, toDecimal } from '../../shared/money.js';
import type { DiscountType } from './coupons.tables.js';

/** What pricing needs to know of a coupon (a row maps to it; tests build it directly). */
export interface CouponTerms {
  discountType: DiscountType;
  /** Fixed: minor units. Percent: hundredths of a percent (12.5% = 1250). */
  discountValue: number;
  minAmountMinor: number;
  maxDiscountMinor: number | null;
  /** Inclusive, UTC. */
  startsAt: Date | null;
  /** Exclusive, UTC. */
  endsAt: Date | null;
  usageLimit: number | null;
  perCustomerLimit: number | null;
  /** Reserved plus committed uses, by everyone. */
  timesUsed: number;
  active: boolean;
  /** A personal coupon's owner, who alone may use it; null for a coupon anyone may use. */
  ownerUserId: string | null;
}

export type CouponRefusal =
  | 'not_yours'
  | 'inactive'
  | 'not_started'
  | 'expired'
  | 'usage_limit_reached'
  | 'customer_limit_reached'
  | 'below_minimum';

export interface CouponPrice {
  applies: boolean;
  /** 0 whenever the coupon does not apply. */
  discountMinor: number;
  reason: CouponRefusal | null;
}

/**
 * The one pricing rule for coupons, used by the cart and by orders: whether `coupon` applies to
 * `amountMinor` for the customer `userId`, who already holds `customerUses` of it, at `now`, and
 * how much it takes off. A personal coupon applies to its owner only. Integer minor units throughout; a percent discount is rounded half away from zero,
 * then capped by the maximum discount, never more than the amount and never negative.
 */
export function priceCoupon(
  coupon: CouponTerms,
  amountMinor: number,
  customerUses: number,
  now: Date,
  userId: string,
): CouponPrice {
  if (!Number.isSafeInteger(amountMinor))
    throw new RangeError(`amount must be whole minor units, got ${amountMinor}`);
  const refuse = (reason: CouponRefusal): CouponPrice => ({ applies: false, discountMinor: 0, reason });
  const at = now.getTime();
  if (coupon.ownerUserId !== null && coupon.ownerUserId !== userId) return refuse('not_yours');
  if (!coupon.active) return refuse('inactive');
  if (coupon.startsAt && at < coupon.startsAt.getTime()) return refuse('not_started');
  if (coupon.endsAt && at >= coupon.endsAt.getTime()) return refuse('expired');
  if (coupon.usageLimit !== null && coupon.timesUsed >= coupon.usageLimit)
    return refuse('usage_limit_reached');
  if (coupon.perCustomerLimit !== null && customerUses >= coupon.perCustomerLimit)
    return refuse('customer_limit_reached');
  const amount = Math.max(0, amountMinor);
  if (amount < coupon.minAmountMinor) return refuse('below_minimum');

  let discount =
    coupon.discountType === 'percent' ? percentOf(amount, coupon.discountValue) : coupon.discountValue;
  if (coupon.maxDiscountMinor !== null) discount = Math.min(discount, coupon.maxDiscountMinor);
  discount = Math.max(0, Math.min(discount, amount));
  return { applies: true, discountMinor: discount, reason: null };
}

/** A sentence for the shopper saying why a coupon does not apply. */
export function refusalMessage(
  code: string,
  reason: CouponRefusal,
  coupon: CouponTerms,
  amountMinor: number,
): string {
  switch (reason) {
    case 'not_yours':
      return `Coupon ${code} can only be used by the customer it was issued to.`;
    case 'inactive':
      return `Coupon ${code} is no longer available.`;
    case 'not_started':
      return `Coupon ${code} is valid from ${coupon.startsAt?.toISOString() ?? 'a later date'}.`;
    case 'expired':
      return `Coupon ${code} has expired.`;
    case 'usage_limit_reached':
      return `Coupon ${code} has been fully used.`;
    case 'customer_limit_reached':
      return `You have already used coupon ${code} as many times as it allows.`;
    case 'below_minimum': {
      const missing = toDecimal(coupon.minAmountMinor - Math.max(0, amountMinor)).toFixed(2);
      return `Coupon ${code} needs an order of at least ${toDecimal(coupon.minAmountMinor).toFixed(2)}: add ${missing} more to use it.`;
    }
  }
}
