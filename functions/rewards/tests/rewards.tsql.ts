import type { Kysely } from 'kysely';
import * as repo from '../rewards.repository.js';
import type { RewardsDb } from '../rewards.tables.js';

/**
 * For the T-SQL check: calls every function of rewards.repository.ts once against a compile-only
 * MSSQL Kysely (DummyDriver), so each query's T-SQL is recorded. Returns the names called.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function exercise(anyDb: Kysely<any>): Promise<string[]> {
  const db = anyDb as RewardsDb;
  const called: string[] = [];
  const at = new Date('2026-12-03T12:00:00.000Z');
  const run = async (name: keyof typeof repo, call: () => Promise<unknown>) => {
    called.push(name);
    try {
      await call();
    } catch {
      // A DummyDriver returns no rows: "returning the new id" has nothing to read.
    }
  };
  await run('ensureAccount', () => repo.ensureAccount(db, 'user-1', at));
  await run('lockAccount', () => repo.lockAccount(db, 'user-1', at));
  await run('findAccount', () => repo.findAccount(db, 'user-1'));
  await run('setAccount', () => repo.setAccount(db, 'user-1', { balance: 10, owed: 0, at }));
  await run('debitIfEnough', () => repo.debitIfEnough(db, 'user-1', 5, at));
  await run('credit', () => repo.credit(db, 'user-1', 5, at));
  await run('insertEntryOnce', () =>
    repo.insertEntryOnce(db, {
      user_id: 'user-1',
      kind: 'earned',
      points: 25,
      balance_change: 25,
      owed_change: 0,
      balance_after: 25,
      order_id: 7,
      redemption_id: null,
      created_at: at,
    }),
  );
  await run('findOrderEntry', () => repo.findOrderEntry(db, 'user-1', 7, 'earned'));
  await run('listEntries', () => repo.listEntries(db, 'user-1', { offset: 0, limit: 100 }));
  await run('insertRedemption', () =>
    repo.insertRedemption(db, {
      user_id: 'user-1',
      points: 500,
      amount_minor: 500,
      currency: 'AUD',
      status: 'reserved',
      coupon_id: null,
      coupon_code: null,
      expires_at: at,
      email: 'ada@shop.test',
      created_at: at,
      updated_at: at,
    }),
  );
  await run('findRedemption', () => repo.findRedemption(db, 1));
  await run('moveRedemption', () =>
    repo.moveRedemption(db, 1, 'reserved', 'confirmed', { at, couponId: 3, couponCode: 'RW-ABCDEFGHJK' }),
  );
  return called;
}
