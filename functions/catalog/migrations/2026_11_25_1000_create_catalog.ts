import { sql, type Kysely } from 'kysely';
import { columnTypes, withIdColumn } from '../../../shared/db/columns.js';
import type { DomainMigration } from '../../../shared/db/migrations.js';

/**
 * Categories, brands, products, their photos and stock reservations. Every list filter and sort
 * has an index that starts with `is_deleted` (the list always asks for live products) and ends
 * with `id`, the tie-breaker that keeps paging stable.
 */
export const createCatalog: DomainMigration = {
  name: '2026_11_25_1000_create_catalog',
  async up(db, dialect) {
    const t = columnTypes(dialect);

    for (const table of ['categories', 'brands'] as const) {
      await withIdColumn(db, db.schema.createTable(table))
        .addColumn('name', t.text(100), (c) => c.notNull())
        .addColumn('name_key', t.text(100), (c) => c.notNull())
        .addColumn('is_deleted', t.bool, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('deleted_at', t.instant)
        .execute();
      // Names are unique among live rows, ignoring case; a deleted name can be used again.
      await liveUnique(db, `ux_${table}_name`, table, 'name_key');
    }

    await withIdColumn(db, db.schema.createTable('products'))
      .addColumn('name', t.text(200), (c) => c.notNull())
      .addColumn('name_key', t.text(200), (c) => c.notNull())
      .addColumn('description', t.longText, (c) => c.notNull())
      .addColumn('price_minor', 'integer', (c) => c.notNull().check(sql`price_minor >= 0`))
      .addColumn('price_before_discount_minor', 'integer', (c) =>
        c.notNull().check(sql`price_before_discount_minor >= 0`),
      )
      .addColumn('rating_tenths', 'integer', (c) =>
        c
          .notNull()
          .defaultTo(0)
          .check(sql`rating_tenths between 0 and 50`),
      )
      .addColumn('sold_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('view_count', 'integer', (c) => c.notNull().defaultTo(0))
      // The last line of defence: a reservation can never take stock below zero.
      .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity >= 0`))
      .addColumn('category_id', 'integer', (c) => c.notNull().references('categories.id'))
      .addColumn('brand_id', 'integer', (c) => c.notNull().references('brands.id'))
      .addColumn('is_deleted', t.bool, (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .addColumn('updated_at', t.instant, (c) => c.notNull())
      .addColumn('deleted_at', t.instant)
      .execute();
    await liveUnique(db, 'ux_products_name', 'products', 'name_key');
    const productIndexes: [string, string[]][] = [
      ['ix_products_by_name', ['is_deleted', 'name_key', 'id']],
      ['ix_products_by_sold', ['is_deleted', 'sold_count', 'id']],
      ['ix_products_by_view', ['is_deleted', 'view_count', 'id']],
      ['ix_products_by_price', ['is_deleted', 'price_minor', 'id']],
      ['ix_products_by_rating', ['is_deleted', 'rating_tenths', 'id']],
      ['ix_products_by_category', ['category_id', 'is_deleted', 'name_key', 'id']],
      ['ix_products_by_brand', ['brand_id', 'is_deleted', 'name_key', 'id']],
    ];
    for (const [name, columns] of productIndexes) {
      await db.schema.createIndex(name).on('products').columns(columns).execute();
    }

    await withIdColumn(db, db.schema.createTable('product_images'))
      .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
      .addColumn('blob_key', t.text(300), (c) => c.notNull())
      .addColumn('description', t.text(300), (c) => c.notNull())
      .addColumn('is_main', t.bool, (c) => c.notNull())
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ix_product_images_product')
      .on('product_images')
      .columns(['product_id', 'id'])
      .execute();

    await withIdColumn(db, db.schema.createTable('stock_reservations'))
      .addColumn('order_id', 'integer', (c) => c.notNull())
      .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
      .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
      .addColumn('status', t.text(20), (c) => c.notNull())
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .addColumn('updated_at', t.instant, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ux_stock_reservations_order_product')
      .on('stock_reservations')
      .columns(['order_id', 'product_id'])
      .unique()
      .execute();
  },
};

/** A unique index over live rows only (a filtered index in T-SQL, a partial index in SQLite). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function liveUnique(db: Kysely<any>, name: string, table: string, column: string): Promise<void> {
  await db.schema
    .createIndex(name)
    .on(table)
    .column(column)
    .unique()
    .where(sql.ref('is_deleted'), '=', 0)
    .execute();
}
