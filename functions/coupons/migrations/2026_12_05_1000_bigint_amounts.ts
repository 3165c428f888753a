import { widenToBigint } from '../../../shared/db/columns.js';
import type { DomainMigration } from '../../../shared/db/migrations.js';

/** A redemption records the order's subtotal and its discount, which can pass 2^31 minor units: bigint. */
export const bigintRedemptionAmounts: DomainMigration = {
  name: '2026_12_05_1000_bigint_amounts',
  async up(db, dialect) {
    await widenToBigint(db, dialect, 'coupon_redemptions', [
      { name: 'amount_minor' },
      { name: 'discount_minor' },
    ]);
  },
};
