import type { Database } from '../../shared/db/database.js';
import { unitOfWork } from '../../shared/events/unit-of-work.js';
import { parseMoney } from '../../shared/money.js';
import { currentPlatform } from '../../shared/platform/current.js';
import type { Platform } from '../../shared/platform/platform.js';
import type { Logger } from '../../shared/telemetry/logger.js';
import type { Clock } from '../../shared/time/clock.js';
import { getProducts, type Product } from '../catalog/catalog.client.js';
import { priceCouponForCustomer, type CouponQuote } from '../coupons/coupons.client.js';
import type { CartDb, CartTables } from './cart.tables.js';

/** A product as the cart needs it: the storefront's Product and its current unit price in minor units. */
export interface ProductSnapshot {
  product: Product;
  priceMinor: number;
}

/** Batched product look-up (one call per response, never one per line). Unknown and deleted ids are absent. */
export interface ProductLookup {
  getProducts(ids: number[], baseUrl: string): Promise<Map<number, ProductSnapshot>>;
}

/** The coupons domain's one pricing rule, for a customer's amount now. */
export interface CouponPricing {
  quote(couponCode: string, amountMinor: number, userId: string): Promise<CouponQuote>;
}

export interface CartDeps {
  database: Database<CartTables>;
  db: CartDb;
  /** One transaction of the cart database whose `emit` writes to its outbox. */
  transaction: ReturnType<typeof unitOfWork<CartTables>>;
  products: ProductLookup;
  coupons: CouponPricing;
  clock: Clock;
  currency: string;
  log: Logger;
}

/** The catalog client behind the port. Prices come back as decimals from whole cents, so they parse exactly. */
export const catalogProducts: ProductLookup = {
  async getProducts(ids, baseUrl) {
    const products = await getProducts(ids, { baseUrl });
    const snapshots = new Map<number, ProductSnapshot>();
    for (const [productId, product] of products) {
      const priceMinor = parseMoney(product.price);
      if (priceMinor !== undefined && priceMinor >= 0) snapshots.set(productId, { product, priceMinor });
    }
    return snapshots;
  },
};

export const couponsPricing: CouponPricing = {
  quote: (couponCode, amountMinor, userId) => priceCouponForCustomer(couponCode, amountMinor, userId),
};

const built = new WeakMap<Platform, CartDeps>();

/** The cart domain's dependencies, built once per platform. */
export function cartDeps(platform: Platform = currentPlatform()): CartDeps {
  let deps = built.get(platform);
  if (!deps) {
    const database = platform.database<CartTables>('cart');
    deps = {
      database,
      db: database.db,
      transaction: unitOfWork(database, platform.relay, platform.clock),
      products: catalogProducts,
      coupons: couponsPricing,
      clock: platform.clock,
      currency: platform.config.SHOP_CURRENCY,
      log: platform.log.child({ domain: 'cart' }),
    };
    built.set(platform, deps);
  }
  return deps;
}
