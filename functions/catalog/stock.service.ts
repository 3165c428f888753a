import { isUniqueViolation } from '../../shared/db/dialect.js';
import { badRequest } from '../../shared/http/errors.js';
import type { CatalogDeps } from './catalog.deps.js';
import * as repo from './catalog.repository.js';
import type { CatalogDb } from './catalog.tables.js';
import { availableUnits } from './product.mapper.js';

/**
 * Stock for orders. Units on hand (`quantity`) and units held by unpaid orders (`reserved_quantity`)
 * are kept apart, so an ADMIN who sets the stock never wipes out a reservation.
 *
 * A reservation holds every line of an order or none: each line is one conditional
 * `UPDATE products SET reserved_quantity = reserved_quantity + n ... WHERE id = ? AND
 * quantity - reserved_quantity >= n`, checked by rows affected (never a read first), plus its
 * (order, product) reservation row, all in one transaction. The unique (order, product) index makes
 * a repeated reservation change nothing.
 *
 * A reservation row then moves reserved -> committed (paid), reserved -> released (cancelled or
 * unpaid) or committed -> released (a paid order cancelled), each with a conditional update; the
 * product's numbers change only when this call made the move, so repeats and races do nothing.
 */

export interface StockLine {
  productId: number;
  quantity: number;
}

export type ReserveOutcome =
  | { ok: true; alreadyReserved: boolean }
  | {
      ok: false;
      reason: 'insufficient_stock' | 'not_for_sale' | 'released';
      /** The product that could not be reserved (0 when the whole order was released before). */
      productId: number;
      /** Units available when it was refused. */
      available: number;
      message: string;
    };

class Shortage extends Error {
  constructor(readonly line: StockLine) {
    super(`not enough stock of product ${line.productId}`);
  }
}

const MAX_UNITS = 1_000_000;

export async function reserveStock(
  deps: CatalogDeps,
  orderId: number,
  lines: StockLine[],
): Promise<ReserveOutcome> {
  const merged = mergeLines(orderId, lines);
  try {
    await deps.transaction(async (trx) => {
      const now = deps.clock.now();
      // In product order, so two orders locking the same rows always lock them in the same order.
      for (const line of merged) {
        if (!(await repo.reserveUnits(trx, line.productId, line.quantity))) throw new Shortage(line);
        await repo.insertReservation(trx, {
          order_id: orderId,
          product_id: line.productId,
          quantity: line.quantity,
          status: 'reserved',
          created_at: now,
          updated_at: now,
        });
      }
      // The storefront shows what is available: every stock change is a new catalog revision.
      await repo.bumpRevision(trx);
    });
    return { ok: true, alreadyReserved: false };
  } catch (error) {
    if (!(error instanceof Shortage) && !isUniqueViolation(error)) throw error;
    // Everything was rolled back. Was this order reserved before (a repeat)?
    const earlier = await repo.findReservations(deps.db, orderId);
    if (earlier.length > 0) {
      return earlier.every((r) => r.status !== 'released')
        ? { ok: true, alreadyReserved: true }
        : {
            ok: false,
            reason: 'released',
            productId: 0,
            available: 0,
            message: 'The stock of this order was already released; place a new order.',
          };
    }
    if (!(error instanceof Shortage)) throw error;
    return shortageOutcome(deps, error.line);
  }
}

/** Gives back the stock of a cancelled order, in a transaction of its own (see releaseReservations). */
export function releaseStock(deps: CatalogDeps, orderId: number): Promise<{ released: number }> {
  checkOrderId(orderId);
  return deps.transaction((trx) => releaseReservations(trx, orderId, deps.clock.now()));
}

/** Makes a paid order's reservation final, in a transaction of its own (see commitReservations). */
export function commitStock(deps: CatalogDeps, orderId: number): Promise<{ committed: number }> {
  checkOrderId(orderId);
  return deps.transaction((trx) => commitReservations(trx, orderId, deps.clock.now()));
}

/**
 * Gives back an order's stock inside the caller's transaction of the catalog database (a consumer
 * runs in its inbox transaction; opening another one there would deadlock SQLite). Reserved lines
 * become available again; committed lines (a paid order that was cancelled) go back on hand and
 * are no longer counted as sold. Returns how many lines this call released.
 */
export async function releaseReservations(
  trx: CatalogDb,
  orderId: number,
  now: Date,
): Promise<{ released: number }> {
  let released = 0;
  for (const row of await repo.findReservations(trx, orderId)) {
    if (row.status === 'released') continue;
    // A row read as reserved may have been committed since: then it is released as committed.
    if (row.status === 'reserved' && (await repo.moveReservation(trx, row.id, 'reserved', 'released', now))) {
      await repo.releaseReservedUnits(trx, row.product_id, row.quantity);
      released += 1;
    } else if (await repo.moveReservation(trx, row.id, 'committed', 'released', now)) {
      await repo.returnCommittedUnits(trx, row.product_id, row.quantity);
      released += 1;
    }
  }
  if (released > 0) await repo.bumpRevision(trx);
  return { released };
}

/**
 * Makes an order's reserved lines final (paid) inside the caller's transaction: the units leave
 * the shelf and count as sold. Only reserved lines move, so a cancellation that arrived first wins
 * and nothing is committed. Returns how many lines this call committed.
 */
export async function commitReservations(
  trx: CatalogDb,
  orderId: number,
  now: Date,
): Promise<{ committed: number }> {
  let committed = 0;
  for (const row of await repo.findReservations(trx, orderId)) {
    if (row.status !== 'reserved') continue;
    if (await repo.moveReservation(trx, row.id, 'reserved', 'committed', now)) {
      await repo.commitReservedUnits(trx, row.product_id, row.quantity);
      committed += 1;
    }
  }
  if (committed > 0) await repo.bumpRevision(trx);
  return { committed };
}

async function shortageOutcome(deps: CatalogDeps, line: StockLine): Promise<ReserveOutcome> {
  const [row] = await repo.findPriceRows(deps.db, [line.productId]);
  if (!row || row.is_deleted) {
    return {
      ok: false,
      reason: 'not_for_sale',
      productId: line.productId,
      available: 0,
      message: row ? `"${row.name}" is no longer sold.` : `Product ${line.productId} does not exist.`,
    };
  }
  const available = availableUnits(row);
  return {
    ok: false,
    reason: 'insufficient_stock',
    productId: line.productId,
    available,
    message:
      available === 0
        ? `"${row.name}" is out of stock.`
        : `Only ${available} of "${row.name}" left; you asked for ${line.quantity}.`,
  };
}

/** One line per product (quantities added up), in product id order. */
function mergeLines(orderId: number, lines: StockLine[]): StockLine[] {
  checkOrderId(orderId);
  if (lines.length === 0) throw badRequest('An order needs at least one line to reserve stock.');
  const byProduct = new Map<number, number>();
  for (const line of lines) {
    if (!Number.isSafeInteger(line.productId) || line.productId < 1)
      throw badRequest('A product id must be a positive whole number.');
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_UNITS) {
      throw badRequest(`A quantity must be a whole number from 1 to ${MAX_UNITS}.`);
    }
    byProduct.set(line.productId, (byProduct.get(line.productId) ?? 0) + line.quantity);
  }
  return [...byProduct]
    .map(([productId, quantity]) => ({ productId, quantity }))
    .sort((a, b) => a.productId - b.productId);
}

function checkOrderId(orderId: number): void {
  if (!Number.isSafeInteger(orderId) || orderId < 1)
    throw badRequest('An order id must be a positive whole number.');
}
