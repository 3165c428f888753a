import type { Generated, Kysely, Selectable } from 'kysely';
import type { MessagingTables } from '../../shared/events/outbox.tables.js';

/**
 * The catalog's own database. Names that compare case-insensitively are also stored normalised
 * (`name_key`: trimmed, lower case), because Azure SQL's collation ignores case and SQLite's does not.
 * Money is in integer minor units; a rating is in tenths (4.5 stars = 45).
 */
export interface NamedTable {
  id: Generated<number>;
  name: string;
  name_key: string;
  is_deleted: Generated<boolean>;
  created_at: Date;
  deleted_at: Date | null;
}

export interface ProductsTable {
  id: Generated<number>;
  name: string;
  name_key: string;
  /** Sanitised HTML. */
  description: string;
  price_minor: number;
  price_before_discount_minor: number;
  rating_tenths: number;
  sold_count: Generated<number>;
  view_count: Generated<number>;
  /** Units on hand, including those reserved for orders that are not paid yet. */
  quantity: number;
  /**
   * Units held by unpaid orders' reservations (never negative, never more than on hand). What the
   * storefront sees as available is `quantity - reserved_quantity`.
   */
  reserved_quantity: Generated<number>;
  /** Optimistic-concurrency version: bumped by every stock change and every ADMIN edit. */
  version: Generated<number>;
  category_id: number;
  brand_id: number;
  is_deleted: Generated<boolean>;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  /**
   * The product's card (product-card.ts): its JSON without the counters, written in the transaction
   * of every change to what it holds. Null until the first bootstrap after the migration wrote it.
   */
  card: Generated<string | null>;
}

export interface ProductImagesTable {
  id: Generated<number>;
  product_id: number;
  /** A blob key (never a URL): the URL depends on where the API is served from. */
  blob_key: string;
  description: string;
  is_main: boolean;
  created_at: Date;
}

export type ReservationStatus = 'reserved' | 'released' | 'committed';

/** One row per (order, product): the unique index makes a repeated reservation a no-op. */
export interface StockReservationsTable {
  id: Generated<number>;
  order_id: number;
  product_id: number;
  quantity: number;
  status: ReservationStatus;
  created_at: Date;
  updated_at: Date;
}

/** One row (id 1): the catalog's revision, bumped by every write a reader of the catalog would see. */
export interface CatalogRevisionTable {
  id: number;
  revision: number;
}

export interface CatalogTables extends MessagingTables {
  catalog_revision: CatalogRevisionTable;
  categories: NamedTable;
  brands: NamedTable;
  products: ProductsTable;
  product_images: ProductImagesTable;
  stock_reservations: StockReservationsTable;
}

/** The database or a transaction (a Transaction is a Kysely). */
export type CatalogDb = Kysely<CatalogTables>;
export type NamedKind = 'categories' | 'brands';
export type NamedRow = Selectable<NamedTable>;
export type ProductRow = Selectable<ProductsTable>;
export type ProductImageRow = Selectable<ProductImagesTable>;
export type ReservationRow = Selectable<StockReservationsTable>;
