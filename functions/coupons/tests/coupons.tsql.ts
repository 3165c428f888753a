import type { Kysely } from 'kysely';
import * as repo from '../coupons.repository.js';
import type { CouponsDb } from '../coupons.tables.js';

/**
 * For the T-SQL check: calls every function of coupons.repository.ts once against a compile-only
 * MSSQL Kysely (DummyDriver), so each query's T-SQL is recorded. Returns the names called.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function exercise(anyDb: Kysely<any>): Promise<string[]> {
  const db = anyDb as CouponsDb;
  const called: string[] = [];
  const at = new Date('2026-11-25T11:00:00.000Z');
  const run = async (name: keyof typeof repo, call: () => Promise<unknown>) => {
    called.push(name);
    try {
      await call();
    } catch {
      // A DummyDriver returns no rows: "returning the new id" has nothing to read.
    }
  };
  const coupon = {
    code: 'SAVE10',
    discount_type: 'fixed' as const,
    discount_value: 1000,
    min_amount: 5000,
    max_discount: null,
    starts_at: at,
    ends_at: null,
    usage_limit: 100,
    per_customer_limit: 1,
    is_active: true,
    created_at: at,
    updated_at: at,
    deleted_at: null,
  };
  await run('insertCoupon', () => repo.insertCoupon(db, coupon));
  await run('updateCoupon', () => repo.updateCoupon(db, 1, { ...coupon, updated_at: at }));
  await run('findCouponById', () => repo.findCouponById(db, 1));
  await run('findCouponByCode', () => repo.findCouponByCode(db, 'SAVE10'));
  await run('listCoupons', () => repo.listCoupons(db, { offset: 20, limit: 10 }));
  await run('deleteCouponIfNeverRedeemed', () => repo.deleteCouponIfNeverRedeemed(db, 1));
  await run('softDeleteCoupon', () => repo.softDeleteCoupon(db, 1, at));
  await run('takeCouponUse', () => repo.takeCouponUse(db, 1));
  await run('giveBackCouponUse', () => repo.giveBackCouponUse(db, 1));
  await run('findCustomerUses', () => repo.findCustomerUses(db, 1, 'user-1'));
  await run('ensureCustomerUsage', () => repo.ensureCustomerUsage(db, 1, 'user-1'));
  await run('takeCustomerUse', () => repo.takeCustomerUse(db, 1, 'user-1'));
  await run('giveBackCustomerUse', () => repo.giveBackCustomerUse(db, 1, 'user-1'));
  await run('insertRedemption', () =>
    repo.insertRedemption(db, {
      coupon_id: 1,
      order_id: 42,
      user_id: 'user-1',
      status: 'reserved',
      amount_minor: 5000,
      discount_minor: 1000,
      reserved_at: at,
      committed_at: null,
      released_at: null,
    }),
  );
  await run('findRedemption', () => repo.findRedemption(db, 1, 42));
  await run('listOrderRedemptions', () => repo.listOrderRedemptions(db, 42));
  await run('moveRedemption', () => repo.moveRedemption(db, 7, 'reserved', 'committed', at));
  await run('findCouponBySourceKey', () => repo.findCouponBySourceKey(db, 'reward-redemption-1'));
  await run('withdrawUnusedCoupon', () => repo.withdrawUnusedCoupon(db, 'reward-redemption-1', at));
  return called;
}
