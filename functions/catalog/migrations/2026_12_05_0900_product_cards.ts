import { columnTypes } from '../../../shared/db/columns.js';
import type { DomainMigration } from '../../../shared/db/migrations.js';

/**
 * `products.card`: the JSON of what a product's reader sees that only an ADMIN edit or a rename of
 * its category or brand changes (functions/catalog/product-card.ts), so the public list and detail
 * read one column instead of joining names and photos and encoding them on every request. Empty
 * here: the catalog's bootstrap writes the cards of existing products at the next start, and a
 * later change of the card's shape ships as a migration that empties the column again.
 */
export const productCards: DomainMigration = {
  name: '2026_12_05_0900_product_cards',
  async up(db, dialect) {
    await db.schema.alterTable('products').addColumn('card', columnTypes(dialect).longText).execute();
  },
};
