import type { Kysely } from 'kysely';
import * as repo from '../cart.repository.js';
import type { CartDb } from '../cart.tables.js';

/**
 * For the T-SQL check: calls every function of cart.repository.ts once against a compile-only
 * MSSQL Kysely (DummyDriver), so each query's T-SQL is recorded. Returns the names called.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function exercise(anyDb: Kysely<any>): Promise<string[]> {
  const db = anyDb as CartDb;
  const called: string[] = [];
  const at = new Date('2026-11-25T12:00:00.000Z');
  const run = async (name: keyof typeof repo, call: () => Promise<unknown>) => {
    called.push(name);
    try {
      await call();
    } catch {
      // A DummyDriver returns no rows: "returning the new id" has nothing to read.
    }
  };
  await run('findCartByUser', () => repo.findCartByUser(db, 'user-1'));
  await run('createCartIfMissing', () => repo.createCartIfMissing(db, 'user-1', at));
  await run('lockCart', () => repo.lockCart(db, 1, at));
  await run('setCartCoupon', () => repo.setCartCoupon(db, 1, 'SAVE10', at));
  await run('claimCartEmail', () => repo.claimCartEmail(db, 1, at, new Date(at.getTime() - 60_000)));
  await run('listLines', () => repo.listLines(db, 1));
  await run('setLineCount', () => repo.setLineCount(db, 1, 3, 2, at));
  await run('insertLine', () => repo.insertLine(db, { cartId: 1, productId: 3, count: 2, at }));
  await run('deleteLineOfProduct', () => repo.deleteLineOfProduct(db, 1, 3));
  await run('findLineIds', () => repo.findLineIds(db, 1, [4058, 4059]));
  await run('deleteLines', () => repo.deleteLines(db, 1, [4058, 4059]));
  return called;
}
