import type { DomainMigration } from '../../../shared/db/migrations.js';

/**
 * One row holding the catalog's revision: every write that changes what a reader of the public
 * catalog sees adds one to it in the same transaction, and the read cache serves an answer only
 * while the revision it was built at is still the current one (functions/catalog/read-cache.ts).
 * `integer` in both dialects (T-SQL `int`): two billion writes are far beyond a shop's lifetime.
 */
export const catalogRevision: DomainMigration = {
  name: '2026_12_04_0900_catalog_revision',
  async up(db) {
    await db.schema
      .createTable('catalog_revision')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .execute();
    await db.insertInto('catalog_revision').values({ id: 1, revision: 1 }).execute();
  },
};
