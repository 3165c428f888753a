import type { Generated, Kysely, Selectable } from 'kysely';
import type { MessagingTables } from '../../shared/events/outbox.tables.js';

/**
 * The rewards domain's own database: a points ledger. Each account's balance never goes below
 * zero; points taken back that the balance cannot cover are recorded as owed and settled from the
 * next points earned.
 */
export interface RewardAccountsTable {
  user_id: string;
  balance: Generated<number>;
  owed: Generated<number>;
  updated_at: Date;
}

export type EntryKind = 'earned' | 'reversed' | 'redeemed' | 'returned';

/** One line of the ledger: one per (user, order, kind) and per (redemption, kind), by unique indexes. */
export interface RewardEntriesTable {
  id: Generated<number>;
  user_id: string;
  kind: EntryKind;
  /** The points the entry is about (always positive; the kind says which way they went). */
  points: number;
  /** What it did to the balance and to what is owed (signed). */
  balance_change: number;
  owed_change: number;
  balance_after: number;
  order_id: number | null;
  redemption_id: number | null;
  created_at: Date;
}

export type RedemptionStatus = 'reserved' | 'confirmed' | 'released';

/** Points turned into a coupon: reserved (points taken), then confirmed (coupon issued) or released. */
export interface RewardRedemptionsTable {
  id: Generated<number>;
  user_id: string;
  points: number;
  amount_minor: number;
  currency: string;
  status: RedemptionStatus;
  coupon_id: number | null;
  coupon_code: string | null;
  expires_at: Date;
  /** Where the customer is told (their token's email). */
  email: string;
  created_at: Date;
  updated_at: Date;
}

export interface RewardsTables extends MessagingTables {
  reward_accounts: RewardAccountsTable;
  reward_entries: RewardEntriesTable;
  reward_redemptions: RewardRedemptionsTable;
}

/** The database or a transaction (a Transaction is a Kysely). */
export type RewardsDb = Kysely<RewardsTables>;
export type AccountRow = Selectable<RewardAccountsTable>;
export type EntryRow = Selectable<RewardEntriesTable>;
export type RedemptionRow = Selectable<RewardRedemptionsTable>;
