import { sql } from 'kysely';
import { columnTypes } from '../../../shared/db/columns.js';
import type { DomainMigration } from '../../../shared/db/migrations.js';

/**
 * Personal coupons (points turned into a coupon): an owner, who alone may use it, and the key of
 * what issued it, unique, so issuing again for the same reward redemption finds the same coupon.
 */
export const personalCoupons: DomainMigration = {
  name: '2026_12_03_1100_personal_coupons',
  async up(db, dialect) {
    const t = columnTypes(dialect);
    await db.schema.alterTable('coupons').addColumn('owner_user_id', t.text(64)).execute();
    await db.schema.alterTable('coupons').addColumn('source_key', t.text(100)).execute();
    await db.schema
      .createIndex('ux_coupons_source_key')
      .on('coupons')
      .column('source_key')
      .unique()
      .where(sql.ref('source_key'), 'is not', null)
      .execute();
  },
};
