import { createHash } from 'node:crypto';
import { isUniqueViolation } from '../../shared/db/dialect.js';
import { OrderCreated, OrderPaymentWindowEnded } from '../../shared/events/catalogue.js';
import { AppError, badRequest, conflict, notFound } from '../../shared/http/errors.js';
import type { Caller } from '../../shared/http/types.js';
import { toDecimal } from '../../shared/money.js';
import { MAXIMUM_CHARGE_MINOR, minimumChargeMinor } from '../../shared/payments/minimums.js';
import { minutes } from '../../shared/time/clock.js';
import type { ProductPrice } from '../catalog/catalog.client.js';
import { orderSummary } from './order-events.js';
import { ownerOf } from './order-access.js';
import { presentOne } from './order-view.js';
import type { OrdersDeps } from './orders.deps.js';
import * as repo from './orders.repository.js';
import { MAX_UNITS, type CreateOrderInput, type OrderHeaderDto } from './orders.schemas.js';
import type { OrderRow } from './orders.tables.js';

/** How long after its payment window an unpaid order is expired (a webhook may still be on its way). */
export const EXPIRY_GRACE_MS = minutes(5);
/**
 * Unpaid orders a customer may have at once: each holds stock until its payment window ends, so
 * without a limit one account could keep every product out of stock.
 */
export const MAX_PENDING_ORDERS = 10;

export interface PlaceOrderRequest {
  caller: Caller;
  body: CreateOrderInput;
  /** The Idempotency-Key header, when the client sent one. */
  idempotencyKey: string | undefined;
  baseUrl: string;
}

interface Line {
  productId: number;
  count: number;
}

interface PricedLine extends Line {
  price: ProductPrice;
}

/**
 * Places an order from product ids and counts only: prices and names from the catalog, the discount
 * from the cart's coupon priced again by the coupons domain, the contact from auth. Then, in one
 * unit of work per domain, the stock is reserved (all lines or none) and the coupon use is
 * reserved; a refusal removes the order again, so nothing is left half-written. The payment window's
 * end is scheduled with the order itself, so an order that is never paid gives its stock back.
 */
export async function placeOrder(
  deps: OrdersDeps,
  request: PlaceOrderRequest,
): Promise<{ order: OrderHeaderDto; replayed: boolean; note: string }> {
  const userId = ownerOf(request.caller, request.body.cartHeader?.userId);
  const lines = mergeLines(request.body.cartDetails);
  const key = checkIdempotencyKey(request.idempotencyKey);
  const requestHash = hashOf(userId, lines);
  if (key !== undefined) {
    const earlier = await repo.findOrderByIdempotencyKey(deps.db, userId, key);
    if (earlier) return { order: await replay(deps, earlier, requestHash), replayed: true, note: '' };
  }

  const priced = await priceLines(deps, lines);
  const subtotalMinor = priced.reduce((sum, l) => sum + l.price.priceMinor * l.count, 0);
  const couponCode = await deps.cartCouponOf(userId);
  const quote = couponCode ? await deps.coupons.quote(couponCode, subtotalMinor, userId) : undefined;
  const discountMinor = quote?.applies ? quote.discountMinor : 0;
  const totalMinor = subtotalMinor - discountMinor;
  checkChargeable(totalMinor, deps.settings.currency);
  const contact = await deps.contactOf(userId);
  if (!contact) throw notFound('Your account was not found; sign in again.');
  const images = await deps.catalog.getImageUrls(
    lines.map((l) => l.productId),
    request.baseUrl,
  );

  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + minutes(deps.settings.checkoutMinutes));
  let orderId: number;
  try {
    orderId = await deps.transaction(async (trx, emit) => {
      // Reserve, then check: the customer's row is locked first, so their concurrent orders count
      // one after another and the limit holds.
      await repo.lockCustomer(trx, userId, now);
      if ((await repo.countPendingOrders(trx, userId)) >= MAX_PENDING_ORDERS) {
        throw conflict(
          `You have ${MAX_PENDING_ORDERS} orders waiting for payment; pay or cancel one before placing another.`,
        );
      }
      const id = await repo.insertOrder(trx, {
        user_id: userId,
        status: 'Pending',
        currency: deps.settings.currency,
        subtotal_minor: subtotalMinor,
        discount_minor: discountMinor,
        total_minor: totalMinor,
        coupon_code: quote?.applies ? quote.couponCode : null,
        customer_name: contact.name,
        customer_email: contact.email,
        customer_phone: contact.phoneNumber,
        idempotency_key: key ?? null,
        request_hash: requestHash,
        created_at: now,
        updated_at: now,
        expires_at: expiresAt,
        placed_at: null,
        checkout_session_id: null,
        checkout_url: null,
        checkout_expires_at: null,
        checkout_success_url: null,
        checkout_cancel_url: null,
        payment_intent_id: null,
        paid_at: null,
        cancelled_at: null,
        cancel_reason: null,
        refunded_at: null,
        flag_reason: null,
      });
      await repo.insertOrderLines(
        trx,
        priced.map((l) => ({
          order_id: id,
          product_id: l.productId,
          product_name: l.price.name,
          product_image: images.get(l.productId) ?? '',
          count: l.count,
          unit_price_minor: l.price.priceMinor,
        })),
      );
      await emit(
        OrderPaymentWindowEnded,
        { orderId: id },
        { deliverAt: new Date(expiresAt.getTime() + EXPIRY_GRACE_MS) },
      );
      return id;
    });
  } catch (error) {
    // The same Idempotency-Key sent twice at once: the first request's order is the answer.
    if (key !== undefined && isUniqueViolation(error)) {
      const earlier = await repo.findOrderByIdempotencyKey(deps.db, userId, key);
      if (earlier) return { order: await replay(deps, earlier, requestHash), replayed: true, note: '' };
    }
    throw error;
  }

  try {
    await holdStockAndCoupon(
      deps,
      orderId,
      userId,
      lines,
      quote?.applies ? quote.couponCode : null,
      subtotalMinor,
    );
  } catch (error) {
    await discardUnplaced(deps, orderId, error);
    throw error;
  }

  const inserted = await repo.findOrder(deps.db, orderId);
  if (!inserted) throw new Error(`order ${orderId} vanished after it was placed`);
  const orderLines = await repo.findLines(deps.db, [orderId]);
  await deps.transaction(async (trx, emit) => {
    await repo.markPlaced(trx, orderId, deps.clock.now());
    await emit(OrderCreated, { ...orderSummary(inserted, orderLines), expiresAt: expiresAt.toISOString() });
  });
  deps.log.info('order placed', { orderId, userId, totalMinor });
  const order = await presentOne(deps.db, { ...inserted, placed_at: now });
  const note =
    quote && !quote.applies ? `${quote.message} It was not deducted: this order is at full price.` : '';
  return { order, replayed: false, note };
}

/** One line per product (repeats merged), in the order first posted. */
function mergeLines(posted: Line[]): Line[] {
  const merged = new Map<number, number>();
  for (const line of posted) merged.set(line.productId, (merged.get(line.productId) ?? 0) + line.count);
  for (const [productId, count] of merged) {
    if (count > MAX_UNITS)
      throw badRequest(`An order may hold at most ${MAX_UNITS} of product ${productId}.`, 'cartDetails');
  }
  return [...merged].map(([productId, count]) => ({ productId, count }));
}

const keyPattern = /^[\x21-\x7e]{1,100}$/;

function checkIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  if (!keyPattern.test(key))
    throw badRequest('The Idempotency-Key header must be 1 to 100 printable characters without spaces.');
  return key;
}

const hashOf = (userId: string, lines: Line[]) =>
  createHash('sha256')
    .update(JSON.stringify([userId, [...lines].sort((a, b) => a.productId - b.productId)]))
    .digest('hex');

async function replay(deps: OrdersDeps, earlier: OrderRow, requestHash: string): Promise<OrderHeaderDto> {
  if (earlier.request_hash !== requestHash) {
    throw conflict(
      'This Idempotency-Key was already used for a different order; use a new key for a new order.',
    );
  }
  return presentOne(deps.db, earlier);
}

/** Current prices of every line; unknown, unsold or short products are refused before anything is written. */
async function priceLines(deps: OrdersDeps, lines: Line[]): Promise<PricedLine[]> {
  const prices = await deps.catalog.getPrices(lines.map((l) => l.productId));
  return lines.map((line) => {
    const price = prices.get(line.productId);
    if (!price) throw badRequest(`Product ${line.productId} does not exist.`, 'cartDetails');
    if (!price.isAvailable) throw conflict(`"${price.name}" is no longer sold.`, 'cartDetails');
    if (price.quantity < line.count)
      throw conflict(shortage(price.name, price.quantity, line.count), 'cartDetails');
    return { ...line, price };
  });
}

const shortage = (name: string, available: number, wanted: number) =>
  available <= 0
    ? `"${name}" is out of stock.`
    : `Only ${available} of "${name}" left; you asked for ${wanted}.`;

/** A total Stripe cannot charge (more than zero but below its minimum) is refused up front. */
export function checkChargeable(totalMinor: number, currency: string): void {
  if (totalMinor > MAXIMUM_CHARGE_MINOR) {
    throw badRequest(
      `An order can come to at most ${toDecimal(MAXIMUM_CHARGE_MINOR).toFixed(2)} ${currency} to be paid by card; split it into smaller orders.`,
      'cartDetails',
    );
  }
  const minimum = minimumChargeMinor(currency);
  if (totalMinor > 0 && totalMinor < minimum) {
    throw badRequest(
      `An order must come to at least ${toDecimal(minimum).toFixed(2)} ${currency} to be paid by card; this one is ${toDecimal(totalMinor).toFixed(2)} ${currency}.`,
    );
  }
}

async function holdStockAndCoupon(
  deps: OrdersDeps,
  orderId: number,
  userId: string,
  lines: Line[],
  couponCode: string | null,
  subtotalMinor: number,
): Promise<void> {
  const stock = await deps.catalog.reserveStock(
    orderId,
    lines.map((l) => ({ productId: l.productId, quantity: l.count })),
  );
  if (!stock.ok) throw conflict(stock.message, 'cartDetails');
  if (couponCode === null) return;
  try {
    await deps.coupons.reserve({ couponCode, orderId, userId, amountMinor: subtotalMinor });
  } catch (error) {
    // Used up (or withdrawn) between pricing and now: the shopper decides without it.
    if (error instanceof AppError && (error.code === 'conflict' || error.code === 'not_found')) {
      throw new AppError('conflict', `${error.message} Remove the coupon from your cart and order again.`, {
        field: 'couponCode',
      });
    }
    throw error;
  }
}

/**
 * Gives back whatever an order that could not be placed was holding and removes it. If this fails
 * too, the order's scheduled payment-window end cancels it later, releasing the same things.
 */
export async function discardUnplaced(deps: OrdersDeps, orderId: number, cause: unknown): Promise<void> {
  try {
    await deps.catalog.releaseStock(orderId);
    await deps.coupons.release(orderId);
    await deps.database.db.transaction().execute((trx) => repo.deleteUnplacedOrder(trx, orderId));
  } catch (error) {
    deps.log.error('could not discard an order that was not placed; its expiry will release it', {
      orderId,
      error,
      cause: String(cause),
    });
  }
}
