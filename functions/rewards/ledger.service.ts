import { RewardGranted, RewardReversed } from '../../shared/events/catalogue.js';
import type { Emit } from '../../shared/events/unit-of-work.js';
import type { Logger } from '../../shared/telemetry/logger.js';
import * as repo from './rewards.repository.js';
import type { RewardsDb } from './rewards.tables.js';

/** The ledger's changes, each inside the consumer's transaction of the rewards database. */
export interface LedgerTransaction {
  trx: RewardsDb;
  emit: Emit;
  now: Date;
  log: Logger;
}

export interface PaidOrder {
  userId: string;
  orderId: number;
  email: string;
  name: string;
  totalMinor: number;
}

/** Points for an amount paid: `pointsPerUnit` per whole currency unit, rounded down. */
export function pointsFor(totalMinor: number, pointsPerUnit: number): number {
  if (totalMinor <= 0 || pointsPerUnit <= 0) return 0;
  // Integer division truncates, which for positive amounts is rounding down.
  return Number((BigInt(totalMinor) * BigInt(pointsPerUnit)) / 100n);
}

/**
 * Grants the points of a paid order, once (a unique (user, order, kind) entry): they first settle
 * what the customer owes from earlier reversals, the rest goes on the balance. An order whose points
 * were taken back before they arrived (events out of order) earns nothing.
 */
export async function grantPoints(tx: LedgerTransaction, order: PaidOrder, points: number): Promise<void> {
  if (points <= 0) return;
  if (await repo.findOrderEntry(tx.trx, order.userId, order.orderId, 'reversed')) {
    tx.log.info('points of an order reversed before they were granted; none granted', {
      orderId: order.orderId,
    });
    return;
  }
  const account = await lockedAccount(tx, order.userId);
  const settled = Math.min(account.owed, points);
  const balance = account.balance + points - settled;
  const claimed = await repo.insertEntryOnce(tx.trx, {
    user_id: order.userId,
    kind: 'earned',
    points,
    balance_change: points - settled,
    owed_change: -settled,
    balance_after: balance,
    order_id: order.orderId,
    redemption_id: null,
    created_at: tx.now,
  });
  if (!claimed) return; // granted before
  await repo.setAccount(tx.trx, order.userId, { balance, owed: account.owed - settled, at: tx.now });
  await tx.emit(RewardGranted, {
    ...holder(order, balance),
    orderId: order.orderId,
    points,
    settledOwed: settled,
  });
}

/**
 * Takes back the points an order earned (it was refunded, or cancelled after payment), once. The
 * balance never goes negative: what it cannot cover is recorded as owed. If the order's points were
 * never granted (yet), a zero reversal is recorded, so a late grant finds it and grants nothing.
 */
export async function reversePoints(
  tx: LedgerTransaction,
  order: Omit<PaidOrder, 'totalMinor'>,
): Promise<void> {
  const granted = await repo.findOrderEntry(tx.trx, order.userId, order.orderId, 'earned');
  const points = granted?.points ?? 0;
  const account = await lockedAccount(tx, order.userId);
  const taken = Math.min(account.balance, points);
  const owed = points - taken;
  const balance = account.balance - taken;
  const claimed = await repo.insertEntryOnce(tx.trx, {
    user_id: order.userId,
    kind: 'reversed',
    points,
    balance_change: -taken,
    owed_change: owed,
    balance_after: balance,
    order_id: order.orderId,
    redemption_id: null,
    created_at: tx.now,
  });
  if (!claimed || points === 0) return;
  await repo.setAccount(tx.trx, order.userId, { balance, owed: account.owed + owed, at: tx.now });
  await tx.emit(RewardReversed, { ...holder(order, balance), orderId: order.orderId, points, owed });
}

/** The account, created if missing and locked for the rest of the transaction. */
async function lockedAccount(tx: LedgerTransaction, userId: string) {
  await repo.ensureAccount(tx.trx, userId, tx.now);
  await repo.lockAccount(tx.trx, userId, tx.now);
  const account = await repo.findAccount(tx.trx, userId);
  if (!account) throw new Error(`the reward account of ${userId} vanished`);
  return account;
}

const holder = (order: { userId: string; email: string; name: string }, balance: number) => ({
  userId: order.userId,
  email: order.email,
  name: order.name,
  balance,
});
