import {
  OrderCancelled,
  OrderPaid,
  OrderRefunded,
  OrderRefundRequested,
} from '../../shared/events/catalogue.js';
import type { Emit } from '../../shared/events/unit-of-work.js';
import type { CheckoutSession, Refund } from '../../shared/payments/payments.js';
import type { Logger } from '../../shared/telemetry/logger.js';
import { cancelledEvent, paidEvent, refundedEvent } from './order-events.js';
import { paidStatuses, type CancelReason, type OrderStatus } from './order-status.js';
import * as repo from './orders.repository.js';
import type { OrderRow, OrdersDb, RefundKind, RefundRequestStatus, RefundRow } from './orders.tables.js';

/**
 * The status changes that carry money and stock, each inside the caller's transaction of the orders
 * database with its events, so a change and its events commit together. Every one re-reads the order
 * and moves it with a conditional update, so callers may race (webhook and return page, two cancels,
 * a redelivered message) and the effect still happens once.
 */
export interface InTransaction {
  trx: OrdersDb;
  emit: Emit;
  now: Date;
  log: Logger;
}

/** What a payment provider says was paid, and for which order. */
export interface ReceivedPayment {
  orderId: number;
  paymentIntentId: string | null;
  amountTotalMinor: number;
  currency: string;
}

export type PaymentOutcome = 'approved' | 'already-recorded' | 'refunding' | 'mismatch' | 'unknown-order';

/** True when the shopper paid in this session (or nothing was due). */
export const isPaid = (session: CheckoutSession) =>
  session.status === 'complete' &&
  (session.paymentStatus === 'paid' || session.paymentStatus === 'no_payment_required');

export const paymentOf = (session: CheckoutSession, orderId: number): ReceivedPayment => ({
  orderId,
  paymentIntentId: session.paymentIntentId,
  amountTotalMinor: session.amountTotalMinor,
  currency: session.currency,
});

/**
 * Approves a pending order that was paid, emitting OrderPaid once per order, ever. A payment that
 * can no longer be used (the order was cancelled, or paid already with another payment) is
 * refunded rather than kept.
 */
export async function recordPayment(tx: InTransaction, payment: ReceivedPayment): Promise<PaymentOutcome> {
  const order = await repo.findOrder(tx.trx, payment.orderId);
  if (!order) {
    tx.log.error('a payment arrived for an order that does not exist', { ...payment });
    return 'unknown-order';
  }
  if (order.status === 'Pending') {
    if (payment.amountTotalMinor !== order.total_minor || payment.currency !== order.currency) {
      const reason = `Paid ${payment.amountTotalMinor} ${payment.currency} (payment ${payment.paymentIntentId ?? '?'}) for an order of ${order.total_minor} ${order.currency}.`;
      await repo.flagOrder(tx.trx, order.id, reason, tx.now);
      tx.log.error('a payment does not match its order; left for an operator', { orderId: order.id, reason });
      return 'mismatch';
    }
    const approved = await repo.moveStatus(tx.trx, order.id, 'Pending', 'Approved', {
      paid_at: tx.now,
      payment_intent_id: payment.paymentIntentId,
      updated_at: tx.now,
    });
    if (approved) {
      const lines = await repo.findLines(tx.trx, [order.id]);
      await tx.emit(OrderPaid, paidEvent(order, lines, payment.paymentIntentId, tx.now));
      tx.log.info('order paid', { orderId: order.id, paymentIntentId: payment.paymentIntentId });
      return 'approved';
    }
    return recordPayment(tx, payment); // it changed meanwhile: decide again on what it is now
  }
  if (payment.paymentIntentId === null || payment.paymentIntentId === order.payment_intent_id) {
    return 'already-recorded';
  }
  const kind: RefundKind = paidStatuses.includes(order.status) ? 'duplicate_payment' : 'late_payment';
  tx.log.warn('a payment arrived that the order cannot use; refunding it', {
    orderId: order.id,
    status: order.status,
    paymentIntentId: payment.paymentIntentId,
  });
  await requestRefund(tx, order, {
    paymentIntentId: payment.paymentIntentId,
    amountMinor: payment.amountTotalMinor,
    currency: payment.currency,
    kind,
  });
  return 'refunding';
}

/** Marks a pending order paid by the shop itself (paid in person): OrderPaid without a payment. */
export async function approveWithoutPayment(tx: InTransaction, order: OrderRow): Promise<boolean> {
  const approved = await repo.moveStatus(tx.trx, order.id, 'Pending', 'Approved', {
    paid_at: tx.now,
    updated_at: tx.now,
  });
  if (approved) {
    const lines = await repo.findLines(tx.trx, [order.id]);
    await tx.emit(OrderPaid, paidEvent(order, lines, null, tx.now));
  }
  return approved;
}

/**
 * Cancels a pending or paid order: OrderCancelled gives its stock and coupon use back, and a paid
 * order's payment is refunded. Answers the status it was cancelled from, or undefined when it was
 * not cancellable any more (already cancelled, or past the point where it can be).
 */
export async function cancelOrder(
  tx: InTransaction,
  orderId: number,
  reason: CancelReason,
): Promise<OrderStatus | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const order = await repo.findOrder(tx.trx, orderId);
    if (!order || (order.status !== 'Pending' && order.status !== 'Approved')) return undefined;
    const moved = await repo.moveStatus(tx.trx, order.id, order.status, 'Cancelled', {
      cancelled_at: tx.now,
      cancel_reason: reason,
      updated_at: tx.now,
    });
    if (!moved) continue; // paid or cancelled meanwhile: look again
    const wasPaid = order.status === 'Approved';
    const lines = await repo.findLines(tx.trx, [order.id]);
    await tx.emit(OrderCancelled, cancelledEvent(order, lines, reason, wasPaid));
    if (wasPaid && order.payment_intent_id !== null && order.total_minor > 0) {
      await requestRefund(tx, order, {
        paymentIntentId: order.payment_intent_id,
        amountMinor: order.total_minor,
        currency: order.currency,
        kind: 'cancellation',
      });
    }
    tx.log.info('order cancelled', { orderId: order.id, from: order.status, reason });
    return order.status;
  }
  throw new Error(`order ${orderId} kept changing while it was being cancelled`);
}

/** Records a refund to make and asks for it (OrderRefundRequested); a payment is refunded once at most. */
async function requestRefund(
  tx: InTransaction,
  order: OrderRow,
  refund: { paymentIntentId: string; amountMinor: number; currency: string; kind: RefundKind },
): Promise<void> {
  const refundRequestId = await repo.insertRefundRequest(tx.trx, {
    order_id: order.id,
    payment_intent_id: refund.paymentIntentId,
    amount_minor: refund.amountMinor,
    currency: refund.currency,
    kind: refund.kind,
    status: 'requested',
    stripe_refund_id: null,
    failure_reason: null,
    created_at: tx.now,
    updated_at: tx.now,
  });
  if (refundRequestId === undefined) return; // this payment's refund was requested before
  await tx.emit(OrderRefundRequested, {
    orderId: order.id,
    refundRequestId,
    paymentIntentId: refund.paymentIntentId,
    amountMinor: refund.amountMinor,
    currency: refund.currency,
    reason: refund.kind === 'duplicate_payment' ? 'duplicate' : 'requested_by_customer',
    idempotencyKey: `refund-${order.id}-${refundRequestId}-${tx.now.getTime()}`,
  });
}

/** The start of the flag an order gets while its refund cannot reach the payment provider. */
export const REFUND_FAILING = 'Refunding payment';

/** How far along a refund is; a report of an earlier stage never overwrites a later one. */
const stage: Record<RefundRequestStatus, number> = {
  requested: 0,
  pending: 1,
  requires_action: 1,
  succeeded: 2,
  failed: 2,
  canceled: 2,
};

const advances = (from: RefundRequestStatus, to: RefundRequestStatus) =>
  stage[to] > stage[from] ||
  (stage[from] === 1 && stage[to] === 1 && to !== from) ||
  // A refund can still fail after it succeeded (Stripe sends refund.failed then).
  (from === 'succeeded' && to === 'failed');

/**
 * Applies what the payment provider says of a refund (from the refund call or a webhook, in any
 * order): a succeeded refund of a cancelled order makes it Refunded (OrderRefunded); a failed one
 * flags the order for an operator. A refund the shop did not ask for (made in the Stripe dashboard)
 * flags its order too.
 */
export async function applyRefund(tx: InTransaction, refund: Refund): Promise<void> {
  const row = await repo.findRefundForStripe(tx.trx, refund.id, refund.requestId);
  if (!row) {
    const order = refund.paymentIntentId
      ? await repo.findOrderByPaymentIntent(tx.trx, refund.paymentIntentId)
      : undefined;
    if (order) {
      await repo.flagOrder(
        tx.trx,
        order.id,
        `Refund ${refund.id} (${refund.status}) was not made by the shop.`,
        tx.now,
      );
      tx.log.warn('a refund the shop did not ask for', { orderId: order.id, refundId: refund.id });
    }
    return;
  }
  if (!advances(row.status, refund.status)) return;
  const updated = await repo.updateRefund(tx.trx, row.id, row.status, {
    status: refund.status,
    stripeRefundId: refund.id,
    failureReason: refund.failureReason,
    at: tx.now,
  });
  if (!updated) return applyRefund(tx, refund); // another report got there first: decide again
  await repo.clearFlag(tx.trx, row.order_id, REFUND_FAILING, tx.now);
  if (refund.status === 'succeeded') await refunded(tx, row, refund);
  if (refund.status === 'failed' || refund.status === 'canceled') {
    const reason = `Refund ${refund.id} of payment ${row.payment_intent_id} ${refund.status}: ${refund.failureReason ?? 'no reason given'}.`;
    await repo.flagOrder(tx.trx, row.order_id, reason, tx.now);
    tx.log.error('a refund failed; the order is flagged for an operator', { orderId: row.order_id, reason });
  }
}

async function refunded(tx: InTransaction, row: RefundRow, refund: Refund): Promise<void> {
  if (row.kind === 'duplicate_payment') return; // the order keeps the payment it was approved with
  const order = await repo.findOrder(tx.trx, row.order_id);
  if (!order) return;
  const moved = await repo.moveStatus(tx.trx, order.id, 'Cancelled', 'Refunded', {
    refunded_at: tx.now,
    updated_at: tx.now,
  });
  if (moved) await tx.emit(OrderRefunded, refundedEvent(order, refund.amountMinor, refund.id));
}
