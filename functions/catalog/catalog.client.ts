import { toDecimal } from '../../shared/money.js';
import { catalogDeps } from './catalog.deps.js';
import * as repo from './catalog.repository.js';
import type { Product } from './catalog.schemas.js';
import { getProductsByIds } from './catalog.service.js';
import { chunks } from './product.mapper.js';
import { availableUnits } from './product.mapper.js';
import * as stock from './stock.service.js';

/**
 * The catalog as other domains (cart, orders) may use it: batched look-ups for many products at
 * once, and stock reservation for whole orders. Never import the catalog's repository or tables.
 */

export type { Product } from './catalog.schemas.js';
export type { ReserveOutcome, StockLine } from './stock.service.js';

export interface ProductPrice {
  productId: number;
  name: string;
  /** What a unit costs now, in minor units (cents), and as the API shows it. */
  priceMinor: number;
  price: number;
  priceBeforeDiscountMinor: number;
  /** Units available now: on hand minus what orders hold (informative only: reserveStock is what holds them). */
  quantity: number;
  /** False for a deleted product: it is shown in past orders but no longer sold. */
  isAvailable: boolean;
}

/**
 * Current prices of many products in one statement per 1,000 ids. Unknown ids are absent from the
 * map; deleted products are present with `isAvailable: false`.
 */
export async function getPrices(productIds: number[]): Promise<Map<number, ProductPrice>> {
  const { db } = catalogDeps();
  const prices = new Map<number, ProductPrice>();
  for (const chunk of chunks(productIds.filter(isId))) {
    for (const row of await repo.findPriceRows(db, chunk)) {
      prices.set(row.id, {
        productId: row.id,
        name: row.name,
        priceMinor: row.price_minor,
        price: toDecimal(row.price_minor),
        priceBeforeDiscountMinor: row.price_before_discount_minor,
        quantity: availableUnits(row),
        isAvailable: !row.is_deleted,
      });
    }
  }
  return prices;
}

/**
 * Live products as the storefront shows them (absolute image URLs built from `baseUrl`, the
 * request's), for many ids at once: two statements per 1,000 ids. Unknown and deleted ids are absent.
 */
export function getProducts(
  productIds: number[],
  options: { baseUrl: string },
): Promise<Map<number, Product>> {
  return getProductsByIds(catalogDeps(), productIds.filter(isId), options.baseUrl);
}

/**
 * Reserves every line of an order or none. Repeating it for the same order changes nothing and
 * answers `{ ok: true, alreadyReserved: true }`. A refusal says which product and why.
 */
export function reserveStock(orderId: number, lines: stock.StockLine[]): Promise<stock.ReserveOutcome> {
  return stock.reserveStock(catalogDeps(), orderId, lines);
}

/**
 * Gives back the stock of a cancelled order: units it held become available again, and units of a
 * paid order (committed) go back on hand and no longer count as sold. Repeating it does nothing.
 */
export function releaseStock(orderId: number): Promise<{ released: number }> {
  return stock.releaseStock(catalogDeps(), orderId);
}

/** Makes an order's reservation final once it is paid (the units count as sold). Repeating it does nothing. */
export function commitStock(orderId: number): Promise<{ committed: number }> {
  return stock.commitStock(catalogDeps(), orderId);
}

const isId = (id: number) => Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647;
