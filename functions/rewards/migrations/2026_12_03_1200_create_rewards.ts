import { sql } from 'kysely';
import { columnTypes, oneOf, withIdColumn } from '../../../shared/db/columns.js';
import type { DomainMigration } from '../../../shared/db/migrations.js';

/** Accounts (balance and owed), the ledger, and redemptions of points into coupons. */
export const createRewards: DomainMigration = {
  name: '2026_12_03_1200_create_rewards',
  async up(db, dialect) {
    const t = columnTypes(dialect);
    await db.schema
      .createTable('reward_accounts')
      .addColumn('user_id', t.text(64), (c) => c.notNull().primaryKey())
      .addColumn('balance', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('owed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', t.instant, (c) => c.notNull())
      // The last line of defence: no path can take a balance below zero.
      .addCheckConstraint('ck_reward_accounts_balance', sql`${sql.ref('balance')} >= 0`)
      .addCheckConstraint('ck_reward_accounts_owed', sql`${sql.ref('owed')} >= 0`)
      .execute();

    await withIdColumn(db, db.schema.createTable('reward_entries'))
      .addColumn('user_id', t.text(64), (c) => c.notNull())
      .addColumn('kind', t.text(20), (c) => c.notNull())
      .addColumn('points', 'integer', (c) => c.notNull())
      .addColumn('balance_change', 'integer', (c) => c.notNull())
      .addColumn('owed_change', 'integer', (c) => c.notNull())
      .addColumn('balance_after', 'integer', (c) => c.notNull())
      .addColumn('order_id', 'integer')
      .addColumn('redemption_id', 'integer')
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .addCheckConstraint(
        'ck_reward_entries_kind',
        oneOf('kind', ['earned', 'reversed', 'redeemed', 'returned']),
      )
      .addCheckConstraint('ck_reward_entries_points', sql`${sql.ref('points')} >= 0`)
      .execute();
    // A user's ledger, newest first.
    await db.schema
      .createIndex('ix_reward_entries_user')
      .on('reward_entries')
      .columns(['user_id', 'id'])
      .execute();
    // One grant and one reversal per order, whatever the number of events that ask for it.
    await db.schema
      .createIndex('ux_reward_entries_order')
      .on('reward_entries')
      .columns(['user_id', 'order_id', 'kind'])
      .unique()
      .where(sql.ref('order_id'), 'is not', null)
      .execute();
    await db.schema
      .createIndex('ux_reward_entries_redemption')
      .on('reward_entries')
      .columns(['redemption_id', 'kind'])
      .unique()
      .where(sql.ref('redemption_id'), 'is not', null)
      .execute();

    await withIdColumn(db, db.schema.createTable('reward_redemptions'))
      .addColumn('user_id', t.text(64), (c) => c.notNull())
      .addColumn('points', 'integer', (c) => c.notNull())
      .addColumn('amount_minor', 'integer', (c) => c.notNull())
      .addColumn('currency', t.text(3), (c) => c.notNull())
      .addColumn('status', t.text(20), (c) => c.notNull())
      .addColumn('coupon_id', 'integer')
      .addColumn('coupon_code', t.text(30))
      .addColumn('expires_at', t.instant, (c) => c.notNull())
      .addColumn('email', t.text(254), (c) => c.notNull())
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .addColumn('updated_at', t.instant, (c) => c.notNull())
      .addCheckConstraint(
        'ck_reward_redemptions_status',
        oneOf('status', ['reserved', 'confirmed', 'released']),
      )
      .addCheckConstraint('ck_reward_redemptions_points', sql`${sql.ref('points')} > 0`)
      .execute();
    await db.schema
      .createIndex('ix_reward_redemptions_user')
      .on('reward_redemptions')
      .columns(['user_id', 'id'])
      .execute();
  },
};
