import { insertReturningId, isUniqueViolation } from '../../shared/db/dialect.js';
import type { CartDb } from './cart.tables.js';

/** Kysely only: every function takes the database or a transaction first and returns rows. */

const changed = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }) =>
  Number(result.numUpdatedRows ?? result.numDeletedRows ?? 0n);

// Headers

export function findCartByUser(db: CartDb, userId: string) {
  return db.selectFrom('cart_headers').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** Creates the user's cart unless it exists (the unique index keeps it single under races). */
export async function createCartIfMissing(db: CartDb, userId: string, at: Date): Promise<void> {
  try {
    await db
      .insertInto('cart_headers')
      .values({ user_id: userId, coupon_code: null, created_at: at, updated_at: at, last_emailed_at: null })
      .execute();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}

/**
 * Writes the header first in a transaction that changes the cart's lines: the row lock it takes in
 * Azure SQL serialises writers of one cart, so the line limit checked afterwards holds under races.
 */
export async function lockCart(db: CartDb, cartId: number, at: Date): Promise<void> {
  await db.updateTable('cart_headers').set({ updated_at: at }).where('id', '=', cartId).execute();
}

export async function setCartCoupon(
  db: CartDb,
  cartId: number,
  couponCode: string | null,
  at: Date,
): Promise<void> {
  await db
    .updateTable('cart_headers')
    .set({ coupon_code: couponCode, updated_at: at })
    .where('id', '=', cartId)
    .execute();
}

/** Claims the right to email the cart now unless it was emailed after `notSince` (one statement, race-safe). */
export async function claimCartEmail(db: CartDb, cartId: number, at: Date, notSince: Date): Promise<boolean> {
  const result = await db
    .updateTable('cart_headers')
    .set({ last_emailed_at: at })
    .where('id', '=', cartId)
    .where((eb) => eb.or([eb('last_emailed_at', 'is', null), eb('last_emailed_at', '<=', notSince)]))
    .executeTakeFirst();
  return changed(result) === 1;
}

// Lines

/** The cart's lines, newest first (ids only grow, so this is stable). */
export function listLines(db: CartDb, cartId: number) {
  return db
    .selectFrom('cart_details')
    .selectAll()
    .where('cart_header_id', '=', cartId)
    .orderBy('id', 'desc')
    .execute();
}

/** Sets the count of the cart's line for a product; false when the cart has no such line. */
export async function setLineCount(
  db: CartDb,
  cartId: number,
  productId: number,
  count: number,
  at: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('cart_details')
    .set({ count, updated_at: at })
    .where('cart_header_id', '=', cartId)
    .where('product_id', '=', productId)
    .executeTakeFirst();
  return changed(result) === 1;
}

export function insertLine(
  db: CartDb,
  line: { cartId: number; productId: number; count: number; at: Date },
): Promise<number> {
  return insertReturningId(db, 'cart_details', {
    cart_header_id: line.cartId,
    product_id: line.productId,
    count: line.count,
    created_at: line.at,
    updated_at: line.at,
  });
}

export async function deleteLineOfProduct(db: CartDb, cartId: number, productId: number): Promise<void> {
  await db
    .deleteFrom('cart_details')
    .where('cart_header_id', '=', cartId)
    .where('product_id', '=', productId)
    .execute();
}

/** Which of `lineIds` belong to the cart (ids of other carts resolve to nothing). */
export async function findLineIds(db: CartDb, cartId: number, lineIds: number[]): Promise<number[]> {
  if (lineIds.length === 0) return [];
  const rows = await db
    .selectFrom('cart_details')
    .select('id')
    .where('cart_header_id', '=', cartId)
    .where('id', 'in', lineIds)
    .execute();
  return rows.map((r) => r.id);
}

export async function deleteLines(db: CartDb, cartId: number, lineIds: number[]): Promise<number> {
  if (lineIds.length === 0) return 0;
  const result = await db
    .deleteFrom('cart_details')
    .where('cart_header_id', '=', cartId)
    .where('id', 'in', lineIds)
    .executeTakeFirst();
  return changed(result);
}
