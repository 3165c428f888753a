import { sql } from 'kysely';
import { columnTypes, withIdColumn } from '../../../shared/db/columns.js';
import type { DomainMigration } from '../../../shared/db/migrations.js';

export const createCoupons: DomainMigration = {
  name: '2026_11_25_1100_create_coupons',
  async up(db, dialect) {
    const t = columnTypes(dialect);
    await withIdColumn(db, db.schema.createTable('coupons'))
      .addColumn('code', t.text(30), (c) => c.notNull())
      .addColumn('discount_type', t.text(10), (c) => c.notNull())
      .addColumn('discount_value', 'integer', (c) => c.notNull())
      .addColumn('min_amount', 'integer', (c) => c.notNull())
      .addColumn('max_discount', 'integer')
      .addColumn('starts_at', t.instant)
      .addColumn('ends_at', t.instant)
      .addColumn('usage_limit', 'integer')
      .addColumn('per_customer_limit', 'integer')
      .addColumn('times_used', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('is_active', t.bool, (c) => c.notNull())
      .addColumn('is_deleted', t.bool, (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .addColumn('updated_at', t.instant, (c) => c.notNull())
      .addColumn('deleted_at', t.instant)
      .addCheckConstraint(
        'ck_coupons_discount_type',
        sql`${sql.ref('discount_type')} in ('fixed', 'percent')`,
      )
      .addCheckConstraint('ck_coupons_times_used', sql`${sql.ref('times_used')} >= 0`)
      .execute();
    // A deleted coupon gives its code back: only live coupons must have distinct codes.
    await db.schema
      .createIndex('ux_coupons_code')
      .on('coupons')
      .column('code')
      .unique()
      .where(sql.ref('is_deleted'), '=', 0)
      .execute();

    await db.schema
      .createTable('coupon_customer_usage')
      .addColumn('coupon_id', 'integer', (c) => c.notNull().references('coupons.id').onDelete('cascade'))
      .addColumn('user_id', t.text(64), (c) => c.notNull())
      .addColumn('times_used', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('pk_coupon_customer_usage', ['coupon_id', 'user_id'])
      .addCheckConstraint('ck_coupon_customer_usage_times_used', sql`${sql.ref('times_used')} >= 0`)
      .execute();

    await withIdColumn(db, db.schema.createTable('coupon_redemptions'))
      .addColumn('coupon_id', 'integer', (c) => c.notNull().references('coupons.id'))
      .addColumn('order_id', 'integer', (c) => c.notNull())
      .addColumn('user_id', t.text(64), (c) => c.notNull())
      .addColumn('status', t.text(10), (c) => c.notNull())
      .addColumn('amount_minor', 'integer', (c) => c.notNull())
      .addColumn('discount_minor', 'integer', (c) => c.notNull())
      .addColumn('reserved_at', t.instant, (c) => c.notNull())
      .addColumn('committed_at', t.instant)
      .addColumn('released_at', t.instant)
      .addCheckConstraint(
        'ck_coupon_redemptions_status',
        sql`${sql.ref('status')} in ('reserved', 'committed', 'released')`,
      )
      .execute();
    await db.schema
      .createIndex('ux_coupon_redemptions_coupon_order')
      .on('coupon_redemptions')
      .columns(['coupon_id', 'order_id'])
      .unique()
      .execute();
    await db.schema
      .createIndex('ix_coupon_redemptions_order')
      .on('coupon_redemptions')
      .column('order_id')
      .execute();
  },
};

export const couponsMigrations = [createCoupons];
