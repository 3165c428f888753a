import { RewardRedeemed, RewardRedemptionDue } from '../../shared/events/catalogue.js';
import type { Emit } from '../../shared/events/unit-of-work.js';
import { badRequest, conflict } from '../../shared/http/errors.js';
import type { Caller } from '../../shared/http/types.js';
import { toDecimal } from '../../shared/money.js';
import { days, minutes } from '../../shared/time/clock.js';
import type { Coupon } from '../coupons/coupons.client.js';
import type { RewardsDeps } from './rewards.deps.js';
import * as repo from './rewards.repository.js';
import type { RedemptionDto } from './rewards.schemas.js';
import type { RedemptionRow, RewardsDb } from './rewards.tables.js';

/** Whatever happens to the request, a redemption left unfinished is finished or undone this much later. */
export const REDEMPTION_CHECK_AFTER_MS = minutes(2);
/** The largest coupon points can buy, in minor units. */
const MAX_COUPON_MINOR = 1_000_000_00;

const sourceKeyOf = (redemptionId: number) => `reward-redemption-${redemptionId}`;

/**
 * POST /api/reward/redeem: turns points into a single-use coupon only the caller may use, across two
 * domains without a distributed transaction. (1) The points are reserved: one conditional UPDATE
 * takes them off the balance only if it holds them, so concurrent redeems never overdraw it, and the
 * redemption's check is scheduled in the same transaction. (2) The coupon is issued, keyed by the
 * redemption, so a repeat issues nothing new. (3) The redemption is confirmed. A step that fails
 * undoes what came before (the unused coupon withdrawn, the points returned); a crash between steps
 * is finished or undone by the scheduled check.
 */
export async function redeemPoints(
  deps: RewardsDeps,
  caller: Caller,
  points: number,
): Promise<RedemptionDto> {
  const amountMinor = points * deps.settings.pointValueMinor;
  if (amountMinor > MAX_COUPON_MINOR)
    throw badRequest(
      `A coupon can be worth at most ${toDecimal(MAX_COUPON_MINOR)}; redeem fewer points.`,
      'points',
    );
  const now = deps.clock.now();
  const reserved = await deps.transaction(async (trx, emit) => {
    await repo.ensureAccount(trx, caller.userId, now);
    if (!(await repo.debitIfEnough(trx, caller.userId, points, now))) {
      const balance = (await repo.findAccount(trx, caller.userId))?.balance ?? 0;
      throw conflict(`You have ${balance} points; you cannot redeem ${points}.`, 'points');
    }
    const id = await repo.insertRedemption(trx, {
      user_id: caller.userId,
      points,
      amount_minor: amountMinor,
      currency: deps.settings.currency,
      status: 'reserved',
      coupon_id: null,
      coupon_code: null,
      expires_at: new Date(now.getTime() + days(deps.settings.couponDays)),
      email: caller.email,
      created_at: now,
      updated_at: now,
    });
    const balance = (await repo.findAccount(trx, caller.userId))?.balance ?? 0;
    await repo.insertEntryOnce(trx, {
      user_id: caller.userId,
      kind: 'redeemed',
      points,
      balance_change: -points,
      owed_change: 0,
      balance_after: balance,
      order_id: null,
      redemption_id: id,
      created_at: now,
    });
    await emit(
      RewardRedemptionDue,
      { redemptionId: id },
      { deliverAt: new Date(now.getTime() + REDEMPTION_CHECK_AFTER_MS) },
    );
    return id;
  });
  const redemption = await repo.findRedemption(deps.db, reserved);
  if (!redemption) throw new Error(`redemption ${reserved} vanished`);

  let coupon: Coupon;
  try {
    coupon = await issueCoupon(deps, redemption);
  } catch (error) {
    await undoRedemption(deps, redemption);
    throw error;
  }
  await deps.transaction((trx, emit) =>
    confirmRedemption({ trx, emit, now: deps.clock.now() }, redemption, coupon),
  );
  const balance = (await repo.findAccount(deps.db, caller.userId))?.balance ?? 0;
  return { ...coupon, points, balance };
}

export function issueCoupon(deps: RewardsDeps, redemption: RedemptionRow): Promise<Coupon> {
  return deps.coupons.issue({
    ownerUserId: redemption.user_id,
    amountMinor: redemption.amount_minor,
    expiresAt: redemption.expires_at,
    sourceKey: sourceKeyOf(redemption.id),
  });
}

/** Confirms a reserved redemption with its coupon (RewardRedeemed); false when it was settled already. */
export async function confirmRedemption(
  tx: { trx: RewardsDb; emit: Emit; now: Date },
  redemption: RedemptionRow,
  coupon: Coupon,
): Promise<boolean> {
  const confirmed = await repo.moveRedemption(tx.trx, redemption.id, 'reserved', 'confirmed', {
    at: tx.now,
    couponId: coupon.couponId,
    couponCode: coupon.couponCode,
  });
  if (!confirmed) return false;
  const balance = (await repo.findAccount(tx.trx, redemption.user_id))?.balance ?? 0;
  await tx.emit(RewardRedeemed, {
    userId: redemption.user_id,
    email: redemption.email,
    name: '',
    balance,
    redemptionId: redemption.id,
    points: redemption.points,
    couponCode: coupon.couponCode,
    amountMinor: redemption.amount_minor,
    currency: redemption.currency,
    expiresAt: redemption.expires_at.toISOString(),
  });
  return true;
}

/** Gives a reserved redemption's points back (its coupon was never issued or was withdrawn unused). */
export async function releaseRedemption(
  tx: { trx: RewardsDb; now: Date },
  redemption: RedemptionRow,
): Promise<boolean> {
  if (!(await repo.moveRedemption(tx.trx, redemption.id, 'reserved', 'released', { at: tx.now })))
    return false;
  await repo.credit(tx.trx, redemption.user_id, redemption.points, tx.now);
  const balance = (await repo.findAccount(tx.trx, redemption.user_id))?.balance ?? 0;
  await repo.insertEntryOnce(tx.trx, {
    user_id: redemption.user_id,
    kind: 'returned',
    points: redemption.points,
    balance_change: redemption.points,
    owed_change: 0,
    balance_after: balance,
    order_id: null,
    redemption_id: redemption.id,
    created_at: tx.now,
  });
  return true;
}

/**
 * After a failed step: withdraw the coupon if one was issued and never used, then return the points.
 * If even that fails, the scheduled check settles it later.
 */
async function undoRedemption(deps: RewardsDeps, redemption: RedemptionRow): Promise<void> {
  try {
    if (await deps.coupons.withdraw(sourceKeyOf(redemption.id))) {
      await deps.transaction((trx) => releaseRedemption({ trx, now: deps.clock.now() }, redemption));
    }
  } catch (error) {
    deps.log.error('could not undo a failed redemption; its scheduled check will', {
      redemptionId: redemption.id,
      error,
    });
  }
}

export { sourceKeyOf };
