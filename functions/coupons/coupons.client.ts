import { currentPlatform } from '../../shared/platform/current.js';
import { couponsDeps } from './coupons.deps.js';
import type { Coupon } from './coupons.schemas.js';
import { quoteCoupon, type CouponQuote } from './coupons.service.js';
import {
  issuePersonalCoupon as issue,
  withdrawPersonalCoupon as withdraw,
  type PersonalCouponRequest,
} from './personal-coupons.service.js';
import {
  commitRedemptions,
  orderRedemptions,
  releaseRedemptions,
  reserveRedemption,
  type Redemption,
} from './redemptions.service.js';

/**
 * The face of the coupons domain that carts and orders call. Pricing goes through the one pricing
 * function (coupon-pricing.ts); redemptions follow an order's life: reserved when it is created,
 * committed when it is paid, released when it is cancelled or its payment expires. Every call is
 * safe to repeat for the same order.
 */
export type { Coupon, CouponQuote, PersonalCouponRequest, Redemption };
/** The coupon's API shape, for domains that answer with a coupon (a redeemed reward). */
export { couponSchema } from './coupons.schemas.js';
export type { CouponRefusal } from './coupon-pricing.js';

/** Whether a coupon applies to an amount (minor units) for a customer now, and the discount. Unknown codes do not apply. */
export function priceCouponForCustomer(
  couponCode: string,
  amountMinor: number,
  userId: string,
): Promise<CouponQuote> {
  return quoteCoupon(couponsDeps(currentPlatform()), { couponCode, amountMinor, userId });
}

/**
 * Reserves a use for an order. Throws AppError `not_found` for an unknown code and `conflict` when
 * the coupon does not apply (expired, below its minimum, used up...). A repeat returns the first reservation.
 */
export function reserveCouponRedemption(input: {
  couponCode: string;
  orderId: number;
  userId: string;
  amountMinor: number;
}): Promise<Redemption> {
  return reserveRedemption(couponsDeps(currentPlatform()), input);
}

/** Commits an order's reserved redemptions (it was paid); a released one stays released. An order without one gets []. */
export function commitCouponRedemptions(orderId: number): Promise<Redemption[]> {
  return commitRedemptions(couponsDeps(currentPlatform()), orderId);
}

/** Releases an order's redemptions (cancelled, expired, or paid and then cancelled), giving their uses back once. */
export function releaseCouponRedemptions(orderId: number): Promise<Redemption[]> {
  return releaseRedemptions(couponsDeps(currentPlatform()), orderId);
}

export function getOrderCouponRedemptions(orderId: number): Promise<Redemption[]> {
  return orderRedemptions(couponsDeps(currentPlatform()), orderId);
}

/**
 * Issues a single-use coupon only `ownerUserId` may use (points turned into a coupon). Issuing again
 * with the same source key returns the same coupon.
 */
export function issuePersonalCoupon(request: PersonalCouponRequest): Promise<Coupon> {
  return issue(couponsDeps(currentPlatform()), request);
}

/** Withdraws the unused personal coupon of a source key; false when it was used already. */
export function withdrawPersonalCoupon(sourceKey: string): Promise<boolean> {
  return withdraw(couponsDeps(currentPlatform()), sourceKey);
}
