import { randomInt } from 'node:crypto';
import { isUniqueViolation } from '../../shared/db/dialect.js';
import { toCoupon } from './coupon.mapper.js';
import type { CouponsDeps } from './coupons.deps.js';
import * as repo from './coupons.repository.js';
import type { Coupon } from './coupons.schemas.js';

export interface PersonalCouponRequest {
  ownerUserId: string;
  amountMinor: number;
  expiresAt: Date;
  /** What issues it (e.g. `reward-redemption-42`): issuing twice for the same key gives the same coupon. */
  sourceKey: string;
}

// Crockford's base 32: no I, L, O or U, so a code read aloud or typed is not mistaken.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const randomCode = () =>
  `RW-${Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join('')}`;

/**
 * Issues a single-use coupon for one customer: a fixed amount off an order of at least that much
 * (so the whole value can be used), until `expiresAt`. Idempotent by the source key: the unique
 * index on it makes a repeat, or a race, return the coupon issued first.
 */
export async function issuePersonalCoupon(
  deps: CouponsDeps,
  request: PersonalCouponRequest,
): Promise<Coupon> {
  const existing = await repo.findCouponBySourceKey(deps.db, request.sourceKey);
  if (existing) return toCoupon(existing);
  const now = deps.clock.now();
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await repo.insertCoupon(deps.db, {
        code: randomCode(),
        discount_type: 'fixed',
        discount_value: request.amountMinor,
        min_amount: request.amountMinor,
        max_discount: null,
        starts_at: now,
        ends_at: request.expiresAt,
        usage_limit: 1,
        per_customer_limit: 1,
        is_active: true,
        owner_user_id: request.ownerUserId,
        source_key: request.sourceKey,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Either the same key won a race (answer its coupon) or the random code was taken (try another).
    }
    const issued = await repo.findCouponBySourceKey(deps.db, request.sourceKey);
    if (issued) return toCoupon(issued);
  }
  throw new Error(`no free coupon code found for ${request.sourceKey}`);
}

/** Withdraws the personal coupon of a source key if it was never used; true when there is none left to use. */
export async function withdrawPersonalCoupon(deps: CouponsDeps, sourceKey: string): Promise<boolean> {
  const coupon = await repo.findCouponBySourceKey(deps.db, sourceKey);
  if (!coupon) return true;
  return !coupon.is_active || (await repo.withdrawUnusedCoupon(deps.db, sourceKey, deps.clock.now()));
}
