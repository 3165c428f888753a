import { sql } from 'kysely';
import { columnTypes, withIdColumn } from '../../../shared/db/columns.js';
import type { DomainMigration } from '../../../shared/db/migrations.js';

export const createCart: DomainMigration = {
  name: '2026_11_25_1200_create_cart',
  async up(db, dialect) {
    const t = columnTypes(dialect);
    await withIdColumn(db, db.schema.createTable('cart_headers'))
      .addColumn('user_id', t.text(64), (c) => c.notNull())
      .addColumn('coupon_code', t.text(30))
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .addColumn('updated_at', t.instant, (c) => c.notNull())
      .addColumn('last_emailed_at', t.instant)
      .execute();
    await db.schema
      .createIndex('ux_cart_headers_user')
      .on('cart_headers')
      .column('user_id')
      .unique()
      .execute();

    await withIdColumn(db, db.schema.createTable('cart_details'))
      .addColumn('cart_header_id', 'integer', (c) => c.notNull().references('cart_headers.id'))
      .addColumn('product_id', 'integer', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .addColumn('updated_at', t.instant, (c) => c.notNull())
      .addCheckConstraint(
        'ck_cart_details_count',
        sql`${sql.ref('count')} >= 1 and ${sql.ref('count')} <= 99`,
      )
      .execute();
    await db.schema
      .createIndex('ux_cart_details_header_product')
      .on('cart_details')
      .columns(['cart_header_id', 'product_id'])
      .unique()
      .execute();
  },
};

export const cartMigrations = [createCart];
