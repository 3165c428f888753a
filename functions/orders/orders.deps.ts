import type { Database } from '../../shared/db/database.js';
import { unitOfWork } from '../../shared/events/unit-of-work.js';
import type { PaymentProvider } from '../../shared/payments/payments.js';
import { currentPlatform } from '../../shared/platform/current.js';
import type { Platform } from '../../shared/platform/platform.js';
import type { Logger } from '../../shared/telemetry/logger.js';
import type { Clock } from '../../shared/time/clock.js';
import { getUserContact, type UserContact } from '../auth/auth.client.js';
import { getCartCouponCode } from '../cart/cart.client.js';
import {
  getPrices,
  getProducts,
  releaseStock,
  reserveStock,
  type ProductPrice,
  type ReserveOutcome,
  type StockLine,
} from '../catalog/catalog.client.js';
import {
  priceCouponForCustomer,
  releaseCouponRedemptions,
  reserveCouponRedemption,
  type CouponQuote,
} from '../coupons/coupons.client.js';
import type { OrdersDb, OrdersTables } from './orders.tables.js';

/** The catalog as orders need it: prices, photos and stock held for an order. */
export interface CatalogPort {
  getPrices(productIds: number[]): Promise<Map<number, ProductPrice>>;
  /** The absolute URL of each live product's first photo. */
  getImageUrls(productIds: number[], baseUrl: string): Promise<Map<number, string>>;
  reserveStock(orderId: number, lines: StockLine[]): Promise<ReserveOutcome>;
  releaseStock(orderId: number): Promise<unknown>;
}

/** The coupons domain's one pricing rule, and the use of a coupon held for an order. */
export interface CouponsPort {
  quote(couponCode: string, amountMinor: number, userId: string): Promise<CouponQuote>;
  /** Throws AppError (not_found / conflict) when the coupon cannot be used after all. */
  reserve(input: {
    couponCode: string;
    orderId: number;
    userId: string;
    amountMinor: number;
  }): Promise<unknown>;
  release(orderId: number): Promise<unknown>;
}

export interface OrdersSettings {
  currency: string;
  /** How long a Checkout Session stays open (Stripe: 30 minutes to 24 hours). */
  checkoutMinutes: number;
  /** Origins the shopper may be sent back to after checkout; empty: any local storefront. */
  storefrontOrigins: string[];
}

export interface OrdersDeps {
  database: Database<OrdersTables>;
  db: OrdersDb;
  /** One transaction of the orders database whose `emit` writes to its outbox. */
  transaction: ReturnType<typeof unitOfWork<OrdersTables>>;
  catalog: CatalogPort;
  coupons: CouponsPort;
  cartCouponOf(userId: string): Promise<string | null>;
  contactOf(userId: string): Promise<UserContact | undefined>;
  payments: PaymentProvider;
  clock: Clock;
  log: Logger;
  settings: OrdersSettings;
}

export const catalogPort: CatalogPort = {
  getPrices,
  async getImageUrls(productIds, baseUrl) {
    const products = await getProducts(productIds, { baseUrl });
    return new Map([...products].map(([id, product]) => [id, product.images[0]?.url ?? '']));
  },
  reserveStock,
  releaseStock,
};

export const couponsPort: CouponsPort = {
  quote: priceCouponForCustomer,
  reserve: reserveCouponRedemption,
  release: releaseCouponRedemptions,
};

const built = new WeakMap<Platform, OrdersDeps>();

/** The orders domain's dependencies, built once per platform. */
export function ordersDeps(platform: Platform = currentPlatform()): OrdersDeps {
  let deps = built.get(platform);
  if (!deps) {
    const database = platform.database<OrdersTables>('orders');
    const { config } = platform;
    deps = {
      database,
      db: database.db,
      transaction: unitOfWork(database, platform.relay, platform.clock),
      catalog: catalogPort,
      coupons: couponsPort,
      cartCouponOf: getCartCouponCode,
      contactOf: getUserContact,
      payments: platform.payments,
      clock: platform.clock,
      log: platform.log.child({ domain: 'orders' }),
      settings: {
        currency: config.SHOP_CURRENCY,
        checkoutMinutes: config.CHECKOUT_SESSION_MINUTES,
        storefrontOrigins: config.STOREFRONT_ORIGINS,
      },
    };
    built.set(platform, deps);
  }
  return deps;
}
