import { sql } from 'kysely';
import type { DomainMigration } from '../../../shared/db/migrations.js';

/**
 * Keeps units on hand and units reserved for unpaid orders apart, so an ADMIN who sets a product's
 * stock can no longer wipe out what orders hold. `quantity` used to hold what was available
 * (reservations were taken off it); from here on it is what is on hand, `reserved_quantity` what
 * orders hold, and `version` the product's optimistic-concurrency version.
 */
export const splitStock: DomainMigration = {
  name: '2026_12_03_0900_split_stock',
  async up(db, dialect) {
    const withinOnHand = sql`reserved_quantity >= 0 and reserved_quantity <= quantity`;

    // T-SQL refuses a column CHECK that names another column; SQLite can only add a CHECK with a
    // column (its ALTER TABLE has no ADD CONSTRAINT), and tests it against the existing rows.
    await db.schema
      .alterTable('products')
      .addColumn('reserved_quantity', 'integer', (c) => {
        const column = c.notNull().defaultTo(0);
        return dialect === 'sqlite' ? column.check(withinOnHand) : column;
      })
      .execute();
    await db.schema
      .alterTable('products')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();

    // Units still held by reservations go back into the count on hand and are recorded as reserved,
    // in one statement per product, so the CHECK holds before and after.
    const held = sql<number>`(select coalesce(sum(r.quantity), 0) from stock_reservations r
      where r.product_id = products.id and r.status = ${'reserved'})`;
    await db
      .updateTable('products')
      .set({ quantity: sql`quantity + ${held}`, reserved_quantity: held })
      .where(
        'id',
        'in',
        db.selectFrom('stock_reservations').select('product_id').where('status', '=', 'reserved'),
      )
      .execute();

    if (dialect === 'mssql') {
      await db.schema
        .alterTable('products')
        .addCheckConstraint('ck_products_reserved_quantity', withinOnHand)
        .execute();
    }
  },
};
