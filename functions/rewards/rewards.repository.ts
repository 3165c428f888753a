import type { Insertable } from 'kysely';
import { insertReturningId, isUniqueViolation, paged } from '../../shared/db/dialect.js';
import type {
  EntryKind,
  RedemptionStatus,
  RewardEntriesTable,
  RewardRedemptionsTable,
  RewardsDb,
} from './rewards.tables.js';

/** Kysely only: every function takes the database or a transaction first and returns rows. */

const changed = (result: { numUpdatedRows?: bigint }) => Number(result.numUpdatedRows ?? 0n);

// Accounts

/** Creates the user's account at zero unless it exists (the primary key keeps it single). */
export async function ensureAccount(db: RewardsDb, userId: string, at: Date): Promise<void> {
  try {
    await db.insertInto('reward_accounts').values({ user_id: userId, updated_at: at }).execute();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}

/**
 * Writes the account row first in a transaction that will read and then set it: the row lock this
 * takes in Azure SQL makes concurrent ledger changes of one user queue up behind each other.
 */
export async function lockAccount(db: RewardsDb, userId: string, at: Date): Promise<void> {
  await db.updateTable('reward_accounts').set({ updated_at: at }).where('user_id', '=', userId).execute();
}

export function findAccount(db: RewardsDb, userId: string) {
  return db.selectFrom('reward_accounts').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function setAccount(
  db: RewardsDb,
  userId: string,
  values: { balance: number; owed: number; at: Date },
): Promise<void> {
  await db
    .updateTable('reward_accounts')
    .set({ balance: values.balance, owed: values.owed, updated_at: values.at })
    .where('user_id', '=', userId)
    .execute();
}

/** Takes points off the balance if it holds that many, in one statement checked by rows affected. */
export async function debitIfEnough(
  db: RewardsDb,
  userId: string,
  points: number,
  at: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('reward_accounts')
    .set((eb) => ({ balance: eb('balance', '-', points), updated_at: at }))
    .where('user_id', '=', userId)
    .where('balance', '>=', points)
    .executeTakeFirst();
  return changed(result) === 1;
}

export async function credit(db: RewardsDb, userId: string, points: number, at: Date): Promise<void> {
  await db
    .updateTable('reward_accounts')
    .set((eb) => ({ balance: eb('balance', '+', points), updated_at: at }))
    .where('user_id', '=', userId)
    .execute();
}

// Ledger

/** Adds an entry unless its (user, order, kind) or (redemption, kind) is there already: false then. */
export async function insertEntryOnce(
  db: RewardsDb,
  entry: Insertable<RewardEntriesTable>,
): Promise<boolean> {
  try {
    await db.insertInto('reward_entries').values(entry).execute();
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

export function findOrderEntry(db: RewardsDb, userId: string, orderId: number, kind: EntryKind) {
  return db
    .selectFrom('reward_entries')
    .selectAll()
    .where('user_id', '=', userId)
    .where('order_id', '=', orderId)
    .where('kind', '=', kind)
    .executeTakeFirst();
}

export function listEntries(db: RewardsDb, userId: string, page: { offset: number; limit: number }) {
  return paged(
    db,
    db.selectFrom('reward_entries').selectAll().where('user_id', '=', userId).orderBy('id', 'desc'),
    page,
  ).execute();
}

// Redemptions

export function insertRedemption(
  db: RewardsDb,
  redemption: Insertable<RewardRedemptionsTable>,
): Promise<number> {
  return insertReturningId(db, 'reward_redemptions', redemption);
}

export function findRedemption(db: RewardsDb, redemptionId: number) {
  return db.selectFrom('reward_redemptions').selectAll().where('id', '=', redemptionId).executeTakeFirst();
}

/** Moves a redemption on only from the status it was decided from: of two racing outcomes one wins. */
export async function moveRedemption(
  db: RewardsDb,
  redemptionId: number,
  from: RedemptionStatus,
  to: RedemptionStatus,
  values: { at: Date; couponId?: number; couponCode?: string },
): Promise<boolean> {
  const result = await db
    .updateTable('reward_redemptions')
    .set({
      status: to,
      updated_at: values.at,
      ...(values.couponId !== undefined ? { coupon_id: values.couponId } : {}),
      ...(values.couponCode !== undefined ? { coupon_code: values.couponCode } : {}),
    })
    .where('id', '=', redemptionId)
    .where('status', '=', from)
    .executeTakeFirst();
  return changed(result) === 1;
}
