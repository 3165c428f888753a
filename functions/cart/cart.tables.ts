import type { Generated, Kysely, Selectable } from 'kysely';
import type { MessagingTables } from '../../shared/events/outbox.tables.js';

/** One cart per user (unique index on user_id). The header and its coupon outlive its last line. */
export interface CartHeadersTable {
  id: Generated<number>;
  user_id: string;
  /** Normalised like the coupons domain stores it (upper case), or null. */
  coupon_code: string | null;
  created_at: Date;
  updated_at: Date;
  /** When the cart was last emailed to its owner (throttles repeats). */
  last_emailed_at: Date | null;
}

/** One line per product in a cart (unique index on cart_header_id, product_id). */
export interface CartDetailsTable {
  id: Generated<number>;
  cart_header_id: number;
  product_id: number;
  count: number;
  created_at: Date;
  updated_at: Date;
}

export interface CartTables extends MessagingTables {
  cart_headers: CartHeadersTable;
  cart_details: CartDetailsTable;
}

/** The database or a transaction (a Transaction is a Kysely). */
export type CartDb = Kysely<CartTables>;
export type CartHeaderRow = Selectable<CartHeadersTable>;
export type CartLineRow = Selectable<CartDetailsTable>;
