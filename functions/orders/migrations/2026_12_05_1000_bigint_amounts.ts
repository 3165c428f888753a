import { sql } from 'kysely';
import { widenToBigint } from '../../../shared/db/columns.js';
import type { DomainMigration } from '../../../shared/db/migrations.js';

/**
 * An order's subtotal can pass 2^31 minor units (50 lines of 99 units at the highest price, before a
 * 100 % coupon brings the total within what a card can pay): the amounts become bigint.
 */
export const bigintOrderAmounts: DomainMigration = {
  name: '2026_12_05_1000_bigint_amounts',
  async up(db, dialect) {
    await widenToBigint(
      db,
      dialect,
      'orders',
      [{ name: 'subtotal_minor' }, { name: 'discount_minor' }, { name: 'total_minor' }],
      [
        {
          name: 'ck_orders_amounts',
          expression: sql`${sql.ref('subtotal_minor')} >= 0 and ${sql.ref('discount_minor')} >= 0 and ${sql.ref('discount_minor')} <= ${sql.ref('subtotal_minor')} and ${sql.ref('total_minor')} = ${sql.ref('subtotal_minor')} - ${sql.ref('discount_minor')}`,
        },
      ],
    );
  },
};
