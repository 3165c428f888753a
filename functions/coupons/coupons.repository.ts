import type { Insertable, Updateable } from 'kysely';
import { insertReturningId, isUniqueViolation, paged } from '../../shared/db/dialect.js';
import type { CouponRedemptionsTable, CouponsDb, CouponsTable, RedemptionStatus } from './coupons.tables.js';

/** Kysely only: every function takes the database or a transaction first and returns rows. */

const changed = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }) =>
  Number(result.numUpdatedRows ?? result.numDeletedRows ?? 0n);

// Coupons

export function insertCoupon(db: CouponsDb, coupon: Insertable<CouponsTable>): Promise<number> {
  return insertReturningId(db, 'coupons', coupon);
}

export async function updateCoupon(
  db: CouponsDb,
  id: number,
  changes: Updateable<CouponsTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('coupons')
    .set(changes)
    .where('id', '=', id)
    .where('is_deleted', '=', false)
    .executeTakeFirst();
  return changed(result) === 1;
}

export function findCouponById(db: CouponsDb, id: number) {
  return db
    .selectFrom('coupons')
    .selectAll()
    .where('id', '=', id)
    .where('is_deleted', '=', false)
    .executeTakeFirst();
}

/** `code` must already be normalised (upper case). */
export function findCouponByCode(db: CouponsDb, code: string) {
  return db
    .selectFrom('coupons')
    .selectAll()
    .where('code', '=', code)
    .where('is_deleted', '=', false)
    .executeTakeFirst();
}

export function findCouponBySourceKey(db: CouponsDb, sourceKey: string) {
  return db.selectFrom('coupons').selectAll().where('source_key', '=', sourceKey).executeTakeFirst();
}

/** Withdraws a personal coupon that was never used (a reward redemption that did not complete). */
export async function withdrawUnusedCoupon(db: CouponsDb, sourceKey: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('coupons')
    .set({ is_active: false, updated_at: at })
    .where('source_key', '=', sourceKey)
    .where('times_used', '=', 0)
    .executeTakeFirst();
  return changed(result) === 1;
}

export function listCoupons(db: CouponsDb, page: { offset: number; limit: number }) {
  return paged(
    db,
    db.selectFrom('coupons').selectAll().where('is_deleted', '=', false).orderBy('id', 'desc'),
    page,
  ).execute();
}

/** Hard-deletes a coupon that no order ever redeemed, in one statement (a redemption racing in keeps it). */
export async function deleteCouponIfNeverRedeemed(db: CouponsDb, id: number): Promise<boolean> {
  const result = await db
    .deleteFrom('coupons')
    .where('id', '=', id)
    .where('is_deleted', '=', false)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(selectFrom('coupon_redemptions').select('coupon_redemptions.id').where('coupon_id', '=', id)),
      ),
    )
    .executeTakeFirst();
  return changed(result) === 1;
}

/** Hides a coupon that past orders refer to; it stops applying and its code becomes free. */
export async function softDeleteCoupon(db: CouponsDb, id: number, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('coupons')
    .set({ is_deleted: true, is_active: false, deleted_at: at, updated_at: at })
    .where('id', '=', id)
    .where('is_deleted', '=', false)
    .executeTakeFirst();
  return changed(result) === 1;
}

// Usage counters. Limits are enforced by conditional updates checked by rows affected, so two
// orders racing for the last use cannot both get it (never read-then-write).

/** Takes one use of the coupon unless it is exhausted, inactive or deleted. */
export async function takeCouponUse(db: CouponsDb, couponId: number): Promise<boolean> {
  const result = await db
    .updateTable('coupons')
    .set((eb) => ({ times_used: eb('times_used', '+', 1) }))
    .where('id', '=', couponId)
    .where('is_active', '=', true)
    .where('is_deleted', '=', false)
    .where((eb) => eb.or([eb('usage_limit', 'is', null), eb('times_used', '<', eb.ref('usage_limit'))]))
    .executeTakeFirst();
  return changed(result) === 1;
}

export async function giveBackCouponUse(db: CouponsDb, couponId: number): Promise<void> {
  await db
    .updateTable('coupons')
    .set((eb) => ({ times_used: eb('times_used', '-', 1) }))
    .where('id', '=', couponId)
    .where('times_used', '>', 0)
    .execute();
}

export async function findCustomerUses(db: CouponsDb, couponId: number, userId: string): Promise<number> {
  const row = await db
    .selectFrom('coupon_customer_usage')
    .select('times_used')
    .where('coupon_id', '=', couponId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.times_used ?? 0;
}

/** Creates the customer's counter at 0 if it is missing (the primary key keeps it single under races). */
export async function ensureCustomerUsage(db: CouponsDb, couponId: number, userId: string): Promise<void> {
  try {
    await db
      .insertInto('coupon_customer_usage')
      .values({ coupon_id: couponId, user_id: userId, times_used: 0 })
      .execute();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}

/** Takes one of the customer's uses unless the coupon's per-customer limit is reached (read in the same statement). */
export async function takeCustomerUse(db: CouponsDb, couponId: number, userId: string): Promise<boolean> {
  const result = await db
    .updateTable('coupon_customer_usage')
    .set((eb) => ({ times_used: eb('times_used', '+', 1) }))
    .where('coupon_id', '=', couponId)
    .where('user_id', '=', userId)
    .where(({ eb, selectFrom, or }) => {
      const limit = selectFrom('coupons').select('per_customer_limit').where('coupons.id', '=', couponId);
      return or([eb(limit, 'is', null), eb('coupon_customer_usage.times_used', '<', limit)]);
    })
    .executeTakeFirst();
  return changed(result) === 1;
}

export async function giveBackCustomerUse(db: CouponsDb, couponId: number, userId: string): Promise<void> {
  await db
    .updateTable('coupon_customer_usage')
    .set((eb) => ({ times_used: eb('times_used', '-', 1) }))
    .where('coupon_id', '=', couponId)
    .where('user_id', '=', userId)
    .where('times_used', '>', 0)
    .execute();
}

// Redemptions

export function insertRedemption(
  db: CouponsDb,
  redemption: Insertable<CouponRedemptionsTable>,
): Promise<number> {
  return insertReturningId(db, 'coupon_redemptions', redemption);
}

export function findRedemption(db: CouponsDb, couponId: number, orderId: number) {
  return db
    .selectFrom('coupon_redemptions')
    .selectAll()
    .where('coupon_id', '=', couponId)
    .where('order_id', '=', orderId)
    .executeTakeFirst();
}

export function listOrderRedemptions(db: CouponsDb, orderId: number) {
  return db
    .selectFrom('coupon_redemptions')
    .innerJoin('coupons', 'coupons.id', 'coupon_redemptions.coupon_id')
    .selectAll('coupon_redemptions')
    .select('coupons.code')
    .where('order_id', '=', orderId)
    .orderBy('coupon_redemptions.id')
    .execute();
}

/** Moves a redemption from one status to another; false when another request moved it first. */
export async function moveRedemption(
  db: CouponsDb,
  id: number,
  from: RedemptionStatus,
  to: RedemptionStatus,
  at: Date,
): Promise<boolean> {
  const stamp = to === 'committed' ? { committed_at: at } : to === 'released' ? { released_at: at } : {};
  const result = await db
    .updateTable('coupon_redemptions')
    .set({ status: to, ...stamp })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return changed(result) === 1;
}
