import { isUniqueViolation } from '../../shared/db/dialect.js';
import { badRequest } from '../../shared/http/errors.js';
import type { CatalogDeps } from './catalog.deps.js';
import * as repo from './catalog.repository.js';

/**
 * Stock for orders. A reservation takes every line of an order or none: each line is one
 * conditional `UPDATE products SET quantity = quantity - n WHERE id = ? AND quantity >= n`, checked by
 * rows affected (never a read first), plus its (order, product) reservation row, all in one
 * transaction. The unique (order, product) index makes a repeated reservation change nothing; release
 * and commit move each row out of `reserved` with a conditional update, so repeating them does nothing.
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
      /** Units in stock when it was refused. */
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
        if (!(await repo.takeStock(trx, line.productId, line.quantity))) throw new Shortage(line);
        await repo.insertReservation(trx, {
          order_id: orderId,
          product_id: line.productId,
          quantity: line.quantity,
          status: 'reserved',
          created_at: now,
          updated_at: now,
        });
      }
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

/** Gives back the stock of an order's reserved lines (cancelled, expired or failed payment). */
export async function releaseStock(deps: CatalogDeps, orderId: number): Promise<{ released: number }> {
  checkOrderId(orderId);
  return deps.transaction(async (trx) => {
    const now = deps.clock.now();
    let released = 0;
    for (const row of await repo.findReservations(trx, orderId)) {
      if (row.status !== 'reserved') continue;
      if (await repo.moveReservation(trx, row.id, 'reserved', 'released', now)) {
        await repo.returnStock(trx, row.product_id, row.quantity);
        released += 1;
      }
    }
    return { released };
  });
}

/** Makes an order's reservation final (paid): the units count as sold. */
export async function commitStock(deps: CatalogDeps, orderId: number): Promise<{ committed: number }> {
  checkOrderId(orderId);
  return deps.transaction(async (trx) => {
    const now = deps.clock.now();
    let committed = 0;
    for (const row of await repo.findReservations(trx, orderId)) {
      if (row.status !== 'reserved') continue;
      if (await repo.moveReservation(trx, row.id, 'reserved', 'committed', now)) {
        await repo.addSold(trx, row.product_id, row.quantity);
        committed += 1;
      }
    }
    return { committed };
  });
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
  return {
    ok: false,
    reason: 'insufficient_stock',
    productId: line.productId,
    available: row.quantity,
    message:
      row.quantity === 0
        ? `"${row.name}" is out of stock.`
        : `Only ${row.quantity} of "${row.name}" left; you asked for ${line.quantity}.`,
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
