import { conflict } from '../../shared/http/errors.js';
import type { Caller } from '../../shared/http/types.js';
import type { CheckoutRequest, CheckoutSession } from '../../shared/payments/payments.js';
import { minutes } from '../../shared/time/clock.js';
import { findOrderFor } from './order-access.js';
import { approveWithoutPayment, isPaid, paymentOf, recordPayment } from './order-transitions.js';
import { presentOne, reload } from './order-view.js';
import type { OrdersDeps } from './orders.deps.js';
import * as repo from './orders.repository.js';
import type { CheckoutDto, CreateCheckoutInput, OrderHeaderDto } from './orders.schemas.js';
import type { OrderLineRow, OrderRow } from './orders.tables.js';
import { checkChargeable } from './place-order.service.js';
import { checkReturnUrl } from './return-urls.js';

/** An open session is offered again only while it has at least this long left. */
const REUSE_MARGIN_MS = minutes(2);
/** Stripe wants expires_at 30 minutes to 24 hours after creation; stay a minute inside both ends. */
const MIN_SESSION_MS = minutes(31);
/** A claim is joined only while its planned expiry is still acceptable to the provider. */
const MIN_JOIN_MS = minutes(30) + 30_000;
/**
 * However often a shopper reopens the payment page, an order holds its stock at most this long
 * after it was placed (a new session never reaches past it).
 */
export const MAX_HOLD_MS = minutes(24 * 60);
const MAX_SESSION_MS = minutes(24 * 60 - 1);

/**
 * createstripesession: sends the shopper to pay a pending order. Only the order id is read from the
 * body; the session is built from the order as stored. An order keeps one open session: a repeat
 * (a reload, a second tab, React running the effect twice) gets the same one back, and callers racing
 * to create it share one idempotency key and one request, so the payment provider creates it once.
 * A zero total is approved at once, without the payment provider.
 */
export async function startCheckout(
  deps: OrdersDeps,
  caller: Caller,
  input: CreateCheckoutInput,
): Promise<CheckoutDto> {
  const origins = deps.settings.storefrontOrigins;
  const successUrl = checkReturnUrl(input.approvedUrl, 'approvedUrl', origins);
  const cancelUrl = checkReturnUrl(input.cancelUrl, 'cancelUrl', origins);
  const order = await findOrderFor(deps.db, caller, input.orderHeader.orderHeaderId);
  if (order.total_minor === 0 && order.status === 'Approved') {
    // Nothing was due and it is approved: a repeat of the first call answers the same.
    return checkoutDto('', successUrl, successUrl, cancelUrl, await reload(deps.db, order.id));
  }
  if (order.status !== 'Pending') {
    throw conflict(
      order.status === 'Cancelled' || order.status === 'Refunded'
        ? `Order ${order.id} was cancelled; place a new order.`
        : `Order ${order.id} is already paid.`,
    );
  }

  if (order.total_minor === 0) {
    await deps.transaction((trx, emit) =>
      approveWithoutPayment({ trx, emit, now: deps.clock.now(), log: deps.log }, order),
    );
    return checkoutDto('', successUrl, successUrl, cancelUrl, await reload(deps.db, order.id));
  }
  checkChargeable(order.total_minor, order.currency);

  const session = await openSession(deps, order, { successUrl, cancelUrl });
  return checkoutDto(session.id, session.url, successUrl, cancelUrl, await reload(deps.db, order.id));
}

async function openSession(
  deps: OrdersDeps,
  order: OrderRow,
  urls: { successUrl: string; cancelUrl: string },
  depth = 0,
): Promise<{ id: string; url: string }> {
  const now = deps.clock.now();
  const left = (at: Date | null) => (at ? at.getTime() - now.getTime() : 0);
  if (order.checkout_session_id && order.checkout_url && left(order.checkout_expires_at) > REUSE_MARGIN_MS) {
    return { id: order.checkout_session_id, url: order.checkout_url };
  }

  let claimed = order;
  // A claim whose session is still being created (by a racing caller) is joined while the provider
  // would still accept its expiry; otherwise (expired session, a claim left by a crash) claim anew.
  const joinable =
    order.checkout_attempt > 0 &&
    !order.checkout_session_id &&
    left(order.checkout_expires_at) >= MIN_JOIN_MS;
  if (!joinable) {
    const expiresAt = sessionExpiry(now, order.created_at, deps.settings.checkoutMinutes);
    if (!expiresAt) {
      throw conflict(
        `The time to pay order ${order.id} is over; its items go back on sale. Place a new order.`,
      );
    }
    if (order.checkout_session_id) await closeOldSession(deps, order, order.checkout_session_id);
    const attempt = order.checkout_attempt + 1;
    await repo.claimCheckoutAttempt(deps.db, order.id, attempt, {
      expiresAt,
      successUrl: urls.successUrl,
      cancelUrl: urls.cancelUrl,
      at: now,
    });
    // Claimed by this caller or by a racing one: either way the stored claim now says what the
    // session is created with, so both send the same request under the same idempotency key.
    const reread = await repo.findOrder(deps.db, order.id);
    if (!reread || reread.status !== 'Pending') throw conflict(`Order ${order.id} can no longer be paid.`);
    if (reread.checkout_attempt !== attempt) {
      if (depth >= 3) throw conflict('This order is being paid in another window; try again in a moment.');
      return openSession(deps, reread, urls, depth + 1);
    }
    claimed = reread;
  }
  if (claimed.checkout_session_id && claimed.checkout_url) {
    return { id: claimed.checkout_session_id, url: claimed.checkout_url };
  }

  const attempt = claimed.checkout_attempt;
  const lines = await repo.findLines(deps.db, [order.id]);
  // The order's creation instant makes the key unique beyond this database: a shop whose data was
  // reset (or two shops on one Stripe account) never replays another order's session.
  const session = await deps.payments.createCheckoutSession(
    checkoutRequest(claimed, lines),
    `order-${order.id}-${order.created_at.getTime()}-checkout-${attempt}`,
  );
  if (!session.url) throw new Error(`checkout session ${session.id} came back without a URL`);
  const url = session.url;
  await deps.database.db.transaction().execute((trx) =>
    repo.recordCheckoutSession(trx, order.id, attempt, {
      id: session.id,
      url,
      expiresAt: session.expiresAt,
      at: deps.clock.now(),
    }),
  );
  deps.log.info('checkout session opened', { orderId: order.id, sessionId: session.id, attempt });
  return { id: session.id, url: session.url };
}

/**
 * Expires a session about to be replaced, so the shopper cannot pay twice; if it turns out paid
 * meanwhile, the payment is recorded and there is nothing left to pay.
 */
async function closeOldSession(deps: OrdersDeps, order: OrderRow, sessionId: string): Promise<void> {
  const old = await deps.payments.expireCheckoutSession(sessionId).catch((error: unknown) => {
    deps.log.warn('could not expire a checkout session before replacing it', { orderId: order.id, error });
    return undefined;
  });
  if (old && isPaid(old)) {
    await deps.transaction((trx, emit) =>
      recordPayment({ trx, emit, now: deps.clock.now(), log: deps.log }, paymentOf(old, order.id)),
    );
    throw conflict(`Order ${order.id} is already paid.`);
  }
}

/**
 * When a new session ends: the configured time, within the provider's limits, and never past the
 * order's longest hold; undefined when too little of that hold is left for a session. Whole
 * seconds (Stripe's resolution), so the stored expiry and the provider's agree exactly.
 */
function sessionExpiry(now: Date, placedAt: Date, checkoutMinutes: number): Date | undefined {
  const wanted = Math.min(Math.max(minutes(checkoutMinutes), MIN_SESSION_MS), MAX_SESSION_MS);
  const end = Math.min(now.getTime() + wanted, placedAt.getTime() + MAX_HOLD_MS);
  if (end - now.getTime() < MIN_SESSION_MS) return undefined;
  return new Date(Math.floor(end / 1000) * 1000);
}

function checkoutRequest(order: OrderRow, lines: OrderLineRow[]): CheckoutRequest {
  const {
    checkout_expires_at: expiresAt,
    checkout_success_url: successUrl,
    checkout_cancel_url: cancelUrl,
  } = order;
  if (!expiresAt || !successUrl || !cancelUrl) throw new Error(`order ${order.id} has no claimed checkout`);
  return {
    orderId: order.id,
    currency: order.currency,
    lines: lines.map((line) => ({
      name: line.product_name,
      imageUrl: line.product_image,
      unitAmountMinor: line.unit_price_minor,
      quantity: line.count,
    })),
    discountMinor: order.discount_minor,
    discountLabel: order.coupon_code ? `Coupon ${order.coupon_code}` : 'Discount',
    customerEmail: order.customer_email,
    successUrl,
    cancelUrl,
    expiresAt,
  };
}

function checkoutDto(
  sessionId: string,
  url: string,
  approvedUrl: string,
  cancelUrl: string,
  orderHeader: OrderHeaderDto,
): CheckoutDto {
  return { stripeSessionUrl: url, stripeSessionId: sessionId, approvedUrl, cancelUrl, orderHeader };
}

/**
 * validatestripesession: the shopper came back from paying. Asks the payment provider about the
 * order's session and approves the order if it was paid (unless the webhook did already). Always
 * answers the order as it is: the storefront shows "Order placed!" whatever happens, so a payment
 * still processing, or a provider that cannot be reached, leaves it Pending with a message.
 */
export async function confirmCheckout(
  deps: OrdersDeps,
  caller: Caller,
  orderId: number,
): Promise<{ order: OrderHeaderDto; message: string }> {
  let order = await findOrderFor(deps.db, caller, orderId);
  if (order.status === 'Pending' && order.checkout_session_id) {
    let session: CheckoutSession | undefined;
    try {
      session = await deps.payments.retrieveCheckoutSession(order.checkout_session_id);
    } catch (error) {
      deps.log.warn('could not ask the payment provider about a checkout; the webhook will tell', {
        orderId,
        error,
      });
    }
    if (session && isPaid(session)) {
      const paid = session;
      await deps.transaction((trx, emit) =>
        recordPayment({ trx, emit, now: deps.clock.now(), log: deps.log }, paymentOf(paid, order.id)),
      );
      order = (await repo.findOrder(deps.db, order.id)) ?? order;
    }
  }
  return { order: await presentOne(deps.db, order), message: paymentMessage(order) };
}

function paymentMessage(order: OrderRow): string {
  switch (order.status) {
    case 'Pending':
      return 'We have not received your payment yet. If you paid, it will show here in a moment.';
    case 'Cancelled':
    case 'Refunded':
      return 'This order was cancelled.';
    default:
      return 'Thank you! Your payment was received.';
  }
}
