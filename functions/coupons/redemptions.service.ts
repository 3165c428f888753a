import { isUniqueViolation } from '../../shared/db/dialect.js';
import { AppError } from '../../shared/http/errors.js';
import { priceCoupon, refusalMessage } from './coupon-pricing.js';
import { normaliseCode, toTerms } from './coupon.mapper.js';
import type { CouponsDeps } from './coupons.deps.js';
import * as repo from './coupons.repository.js';
import type { CouponRow, CouponsDb, RedemptionRow, RedemptionStatus } from './coupons.tables.js';

export interface Redemption {
  couponId: number;
  couponCode: string;
  orderId: number;
  userId: string;
  status: RedemptionStatus;
  discountMinor: number;
}

const toRedemption = (row: RedemptionRow, couponCode: string): Redemption => ({
  couponId: row.coupon_id,
  couponCode,
  orderId: row.order_id,
  userId: row.user_id,
  status: row.status,
  discountMinor: row.discount_minor,
});

function refused(
  coupon: CouponRow,
  reason: Parameters<typeof refusalMessage>[1],
  amountMinor: number,
): AppError {
  return new AppError('conflict', refusalMessage(coupon.code, reason, toTerms(coupon), amountMinor), {
    field: 'couponCode',
  });
}

/**
 * Reserves one use of a coupon for an order (at order creation). The (coupon, order) unique index
 * makes a repeat a no-op that returns the first reservation. The total and per-customer limits are
 * taken by conditional updates in the same transaction as the redemption row, so of two orders
 * racing for the last use exactly one gets it and the other's transaction rolls back whole.
 */
export async function reserveRedemption(
  deps: CouponsDeps,
  input: { couponCode: string; orderId: number; userId: string; amountMinor: number },
): Promise<Redemption> {
  const code = normaliseCode(input.couponCode);
  const coupon = code === '' ? undefined : await repo.findCouponByCode(deps.db, code);
  if (!coupon) throw new AppError('not_found', `Coupon ${code} does not exist.`, { field: 'couponCode' });
  const existing = await repo.findRedemption(deps.db, coupon.id, input.orderId);
  if (existing) return toRedemption(existing, coupon.code);

  const now = deps.clock.now();
  const uses = await repo.findCustomerUses(deps.db, coupon.id, input.userId);
  const price = priceCoupon(toTerms(coupon), input.amountMinor, uses, now, input.userId);
  if (price.reason !== null) throw refused(coupon, price.reason, input.amountMinor);

  // The counter row is created outside the transaction: a unique violation inside one would abort
  // it in some configurations, and an unused counter at 0 changes nothing.
  await repo.ensureCustomerUsage(deps.db, coupon.id, input.userId);
  try {
    await deps.db.transaction().execute(async (trx) => {
      await repo.insertRedemption(trx, {
        coupon_id: coupon.id,
        order_id: input.orderId,
        user_id: input.userId,
        status: 'reserved',
        amount_minor: input.amountMinor,
        discount_minor: price.discountMinor,
        reserved_at: now,
        committed_at: null,
        released_at: null,
      });
      if (!(await repo.takeCouponUse(trx, coupon.id)))
        throw refused(coupon, 'usage_limit_reached', input.amountMinor);
      if (!(await repo.takeCustomerUse(trx, coupon.id, input.userId))) {
        throw refused(coupon, 'customer_limit_reached', input.amountMinor);
      }
    });
  } catch (error) {
    // The same order reserving twice at once: the first one's row is the answer.
    if (!isUniqueViolation(error)) throw error;
  }
  const row = await repo.findRedemption(deps.db, coupon.id, input.orderId);
  if (!row) throw new Error(`redemption of coupon ${coupon.id} for order ${input.orderId} vanished`);
  return toRedemption(row, coupon.code);
}

/**
 * Commits an order's reserved redemptions (it was paid), in the caller's transaction. Only a
 * `reserved` row moves: a redemption released before the payment stays released (orders refunds a
 * payment that arrives for a cancelled order), so OrderCancelled delivered before OrderPaid still
 * ends with the use given back. Returns how many moved; a repeat moves none.
 */
export async function commitOrderRedemptions(trx: CouponsDb, orderId: number, now: Date): Promise<number> {
  let moved = 0;
  for (const row of await repo.listOrderRedemptions(trx, orderId)) {
    if (row.status === 'reserved' && (await repo.moveRedemption(trx, row.id, 'reserved', 'committed', now)))
      moved++;
  }
  return moved;
}

/**
 * Releases an order's redemptions (cancelled, or its payment expired; a paid one too, when the
 * order is cancelled and refunded), in the caller's transaction, giving each use back once: the
 * status change is conditional, so a repeat or a race gives nothing back twice.
 */
export async function releaseOrderRedemptions(trx: CouponsDb, orderId: number, now: Date): Promise<number> {
  let moved = 0;
  for (const row of await repo.listOrderRedemptions(trx, orderId)) {
    if (row.status === 'released') continue;
    const released =
      (await repo.moveRedemption(trx, row.id, 'reserved', 'released', now)) ||
      (await repo.moveRedemption(trx, row.id, 'committed', 'released', now));
    if (released) {
      await repo.giveBackCouponUse(trx, row.coupon_id);
      await repo.giveBackCustomerUse(trx, row.coupon_id, row.user_id);
      moved++;
    }
  }
  return moved;
}

/** commitOrderRedemptions in a transaction of its own; answers the order's redemptions after it. */
export async function commitRedemptions(deps: CouponsDeps, orderId: number): Promise<Redemption[]> {
  await deps.db.transaction().execute((trx) => commitOrderRedemptions(trx, orderId, deps.clock.now()));
  return orderRedemptions(deps, orderId);
}

/** releaseOrderRedemptions in a transaction of its own; answers the order's redemptions after it. */
export async function releaseRedemptions(deps: CouponsDeps, orderId: number): Promise<Redemption[]> {
  await deps.db.transaction().execute((trx) => releaseOrderRedemptions(trx, orderId, deps.clock.now()));
  return orderRedemptions(deps, orderId);
}

export async function orderRedemptions(deps: CouponsDeps, orderId: number): Promise<Redemption[]> {
  const rows = await repo.listOrderRedemptions(deps.db, orderId);
  return rows.map((row) => toRedemption(row, row.code));
}
