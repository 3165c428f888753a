import { badRequest } from '../../shared/http/errors.js';
import {
  WebhookSignatureError,
  type CheckoutSession,
  type PaymentEvent,
} from '../../shared/payments/payments.js';
import {
  applyRefund,
  cancelOrder,
  isPaid,
  paymentOf,
  recordPayment,
  type InTransaction,
} from './order-transitions.js';
import type { OrdersDeps } from './orders.deps.js';
import * as repo from './orders.repository.js';

export type WebhookOutcome = 'processed' | 'duplicate' | 'ignored';

/**
 * POST /api/order/webhook: Stripe's event delivery. The signature is checked over the raw bytes
 * first (a bad, missing or stale one changes nothing). Each event id is recorded in the orders
 * inbox in the same transaction as its effect, so a redelivery has no second effect. Only database
 * work happens here, so Stripe gets its 2xx fast; refunds are asked for through the outbox.
 */
export async function receivePaymentWebhook(
  deps: OrdersDeps,
  rawBody: Buffer,
  signature: string | undefined,
): Promise<WebhookOutcome> {
  let event: PaymentEvent;
  try {
    event = await deps.payments.parseWebhook(rawBody, signature);
  } catch (error) {
    if (error instanceof WebhookSignatureError) {
      deps.log.warn('refused a webhook with a bad signature', { reason: error.message });
      throw badRequest(`The webhook signature could not be verified: ${error.message}`);
    }
    throw error;
  }
  if (event.type === 'other') return 'ignored';
  if (event.type === 'payment_intent.payment_failed') {
    // Inside Checkout the shopper can retry with another card; the session's end decides the order.
    deps.log.info('a payment attempt failed', { orderId: event.orderId, message: event.message });
    return 'ignored';
  }

  const paymentEvent = event;
  const outcome = await deps.transaction(async (trx, emit) => {
    const tx: InTransaction = { trx, emit, now: deps.clock.now(), log: deps.log };
    if (!(await repo.recordProviderEvent(trx, paymentEvent.id, tx.now))) return 'duplicate' as const;
    await apply(tx, paymentEvent);
    return 'processed' as const;
  });
  deps.log.debug('payment webhook', { eventId: event.id, type: event.type, outcome });
  return outcome;
}

async function apply(
  tx: InTransaction,
  event: Exclude<PaymentEvent, { type: 'other' | 'payment_intent.payment_failed' }>,
) {
  if ('session' in event && !(await isOurs(tx, event.session))) {
    tx.log.warn('ignored a checkout event of a session the shop did not open for that order', {
      eventId: event.id,
      sessionId: event.session.id,
      orderId: event.session.orderId,
    });
    return;
  }
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const orderId = event.session.orderId;
      // `unpaid`: an asynchronous payment (bank debit) is on its way; async_payment_succeeded follows.
      if (orderId !== null && isPaid(event.session))
        await recordPayment(tx, paymentOf(event.session, orderId));
      return;
    }
    case 'checkout.session.async_payment_failed':
      return endUnpaid(tx, event.session, 'payment_failed');
    case 'checkout.session.expired':
      return endUnpaid(tx, event.session, 'payment_expired');
    case 'refund.created':
    case 'refund.updated':
    case 'refund.failed':
      return applyRefund(tx, event.refund);
  }
}

/**
 * Another integration on the same Stripe account (a Payment Link, another app) may send sessions
 * here too, and whoever opens a Payment Link chooses its reference: only a session the shop opened
 * for the order it names is acted on.
 */
async function isOurs(tx: InTransaction, session: CheckoutSession): Promise<boolean> {
  if (session.orderId === null) return false;
  const known = await repo.findCheckoutSession(tx.trx, session.id);
  return known?.order_id === session.orderId;
}

/** A session that ended unpaid cancels its order, unless the order has moved on to another session. */
async function endUnpaid(
  tx: InTransaction,
  session: CheckoutSession,
  reason: 'payment_failed' | 'payment_expired',
): Promise<void> {
  if (session.orderId === null) return;
  const order = await repo.findOrder(tx.trx, session.orderId);
  if (!order || order.status !== 'Pending' || order.checkout_session_id !== session.id) return;
  await cancelOrder(tx, order.id, reason);
}
