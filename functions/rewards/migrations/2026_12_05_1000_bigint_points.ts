import { sql } from 'kysely';
import { widenToBigint } from '../../../shared/db/columns.js';
import type { DomainMigration } from '../../../shared/db/migrations.js';

/**
 * Points pass 2^31 quickly (up to 1,000 points per currency unit of an order that may come to a
 * million units), and so does a balance adding them up: every points column, and the amounts, become
 * bigint.
 */
export const bigintPoints: DomainMigration = {
  name: '2026_12_05_1000_bigint_points',
  async up(db, dialect) {
    await widenToBigint(
      db,
      dialect,
      'reward_accounts',
      [
        { name: 'balance', default: 0 },
        { name: 'owed', default: 0 },
      ],
      [
        { name: 'ck_reward_accounts_balance', expression: sql`${sql.ref('balance')} >= 0` },
        { name: 'ck_reward_accounts_owed', expression: sql`${sql.ref('owed')} >= 0` },
      ],
    );
    await widenToBigint(
      db,
      dialect,
      'reward_entries',
      [{ name: 'points' }, { name: 'balance_change' }, { name: 'owed_change' }, { name: 'balance_after' }],
      [{ name: 'ck_reward_entries_points', expression: sql`${sql.ref('points')} >= 0` }],
    );
    await widenToBigint(
      db,
      dialect,
      'reward_redemptions',
      [{ name: 'points' }, { name: 'amount_minor' }],
      [{ name: 'ck_reward_redemptions_points', expression: sql`${sql.ref('points')} > 0` }],
    );
  },
};
