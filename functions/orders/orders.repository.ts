import type { Insertable, Updateable } from 'kysely';
import { insertReturningId, isUniqueViolation, paged } from '../../shared/db/dialect.js';
import type { OrderStatus } from './order-status.js';
import type {
  OrderLinesTable,
  OrderRow,
  OrdersDb,
  OrdersTable,
  PaymentRefundsTable,
  RefundRequestStatus,
} from './orders.tables.js';

/** Kysely only: every function takes the database or a transaction first and returns rows. */

const changed = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }) =>
  Number(result.numUpdatedRows ?? result.numDeletedRows ?? 0n);

// Orders

export function insertOrder(db: OrdersDb, order: Insertable<OrdersTable>): Promise<number> {
  return insertReturningId(db, 'orders', order);
}

export async function insertOrderLines(db: OrdersDb, lines: Insertable<OrderLinesTable>[]): Promise<void> {
  await db.insertInto('order_lines').values(lines).execute();
}

/**
 * Removes an order that was never placed (its stock or coupon could not be held), with its lines;
 * a placed order is left alone. Run it in a transaction.
 */
export async function deleteUnplacedOrder(db: OrdersDb, orderId: number): Promise<boolean> {
  const unplaced = await db
    .selectFrom('orders')
    .select('id')
    .where('id', '=', orderId)
    .where('placed_at', 'is', null)
    .executeTakeFirst();
  if (!unplaced) return false;
  await db.deleteFrom('order_lines').where('order_id', '=', orderId).execute();
  await db.deleteFrom('orders').where('id', '=', orderId).where('placed_at', 'is', null).execute();
  return true;
}

/** The order's stock and coupon use are held: it is shown and can be paid from now on. */
export async function markPlaced(db: OrdersDb, orderId: number, at: Date): Promise<void> {
  await db.updateTable('orders').set({ placed_at: at }).where('id', '=', orderId).execute();
}

/**
 * Writes the customer's row first in the transaction that places an order: in Azure SQL the row
 * lock makes one customer's concurrent orders queue up, so counting their unpaid orders after it
 * holds under concurrency.
 */
export async function lockCustomer(db: OrdersDb, userId: string, at: Date): Promise<void> {
  try {
    await db.insertInto('order_customers').values({ user_id: userId, updated_at: at }).execute();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  await db.updateTable('order_customers').set({ updated_at: at }).where('user_id', '=', userId).execute();
}

/** How many of a customer's orders wait for payment (placed or being placed). */
export async function countPendingOrders(db: OrdersDb, userId: string): Promise<number> {
  const row = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('status', '=', 'Pending')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export function findOrder(db: OrdersDb, orderId: number) {
  return db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst();
}

export function findOrderByIdempotencyKey(db: OrdersDb, userId: string, key: string) {
  return db
    .selectFrom('orders')
    .selectAll()
    .where('user_id', '=', userId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

export function findOrderByPaymentIntent(db: OrdersDb, paymentIntentId: string) {
  return db
    .selectFrom('orders')
    .selectAll()
    .where('payment_intent_id', '=', paymentIntentId)
    .executeTakeFirst();
}

/** Orders newest first, of one user or of everyone, of one status or all. */
export function listOrders(
  db: OrdersDb,
  filter: { userId?: string; status?: OrderStatus },
  page: { offset: number; limit: number },
): Promise<OrderRow[]> {
  let query = db.selectFrom('orders').selectAll().where('placed_at', 'is not', null);
  if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  return paged(db, query.orderBy('id', 'desc'), page).execute();
}

export function findLines(db: OrdersDb, orderIds: number[]) {
  if (orderIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('order_lines')
    .selectAll()
    .where('order_id', 'in', orderIds)
    .orderBy('order_id')
    .orderBy('id')
    .execute();
}

/**
 * Moves an order from one status to another only if it still has the status the move was decided
 * from: of two racing changes (webhook and return page, two cancels) exactly one succeeds.
 */
export async function moveStatus(
  db: OrdersDb,
  orderId: number,
  from: OrderStatus,
  to: OrderStatus,
  changes: Omit<Updateable<OrdersTable>, 'status' | 'id'>,
): Promise<boolean> {
  const result = await db
    .updateTable('orders')
    .set({ ...changes, status: to })
    .where('id', '=', orderId)
    .where('status', '=', from)
    .executeTakeFirst();
  return changed(result) === 1;
}

/**
 * Claims the next Checkout Session attempt of a pending order and records what it will be created
 * with (expiry, return URLs), so callers racing for one order build the same request under the same
 * idempotency key. False when another caller claimed it first.
 */
export async function claimCheckoutAttempt(
  db: OrdersDb,
  orderId: number,
  attempt: number,
  values: { expiresAt: Date; successUrl: string; cancelUrl: string; at: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('orders')
    .set({
      checkout_attempt: attempt,
      checkout_session_id: null,
      checkout_url: null,
      checkout_expires_at: values.expiresAt,
      checkout_success_url: values.successUrl,
      checkout_cancel_url: values.cancelUrl,
      updated_at: values.at,
    })
    .where('id', '=', orderId)
    .where('status', '=', 'Pending')
    .where('checkout_attempt', '=', attempt - 1)
    .executeTakeFirst();
  return changed(result) === 1;
}

/**
 * Records the session created for an attempt (and among the order's sessions) and moves the end of
 * the payment window to its expiry. Run it in a transaction.
 */
export async function recordCheckoutSession(
  db: OrdersDb,
  orderId: number,
  attempt: number,
  session: { id: string; url: string; expiresAt: Date; at: Date },
): Promise<void> {
  try {
    await db
      .insertInto('checkout_sessions')
      .values({ order_id: orderId, session_id: session.id, attempt, created_at: session.at })
      .execute();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error; // a racing caller recorded the same session
  }
  await db
    .updateTable('orders')
    .set({
      checkout_session_id: session.id,
      checkout_url: session.url,
      checkout_expires_at: session.expiresAt,
      expires_at: session.expiresAt,
      updated_at: session.at,
    })
    .where('id', '=', orderId)
    .where('checkout_attempt', '=', attempt)
    .execute();
}

/** The order a Checkout Session was opened for by the shop; undefined for a session that is not ours. */
export function findCheckoutSession(db: OrdersDb, sessionId: string) {
  return db
    .selectFrom('checkout_sessions')
    .selectAll()
    .where('session_id', '=', sessionId)
    .executeTakeFirst();
}

/** Marks an order for an operator's attention, keeping the first reason given. */
export async function flagOrder(db: OrdersDb, orderId: number, reason: string, at: Date): Promise<void> {
  await db
    .updateTable('orders')
    .set({ is_flagged: true, flag_reason: reason.slice(0, 500), updated_at: at })
    .where('id', '=', orderId)
    .where('is_flagged', '=', false)
    .execute();
}

/** Clears a flag whose reason starts with `prefix` (a problem that has since resolved itself). */
export async function clearFlag(db: OrdersDb, orderId: number, prefix: string, at: Date): Promise<void> {
  await db
    .updateTable('orders')
    .set({ is_flagged: false, flag_reason: null, updated_at: at })
    .where('id', '=', orderId)
    .where('flag_reason', 'like', `${prefix}%`)
    .execute();
}

// Refunds

/** Inserts a refund request; false when that payment already has one (never refunded twice). */
export async function insertRefundRequest(
  db: OrdersDb,
  refund: Insertable<PaymentRefundsTable>,
): Promise<number | undefined> {
  try {
    return await insertReturningId(db, 'payment_refunds', refund);
  } catch (error) {
    if (isUniqueViolation(error)) return undefined;
    throw error;
  }
}

/**
 * Our refund request for a Stripe refund: by the refund's id once known, else by the request id the
 * shop wrote into the refund's metadata. A refund made elsewhere (the Stripe dashboard) is neither.
 */
export function findRefundForStripe(db: OrdersDb, stripeRefundId: string, requestId: number | null) {
  return db
    .selectFrom('payment_refunds')
    .selectAll()
    .where((eb) =>
      requestId === null
        ? eb('stripe_refund_id', '=', stripeRefundId)
        : eb.or([eb('stripe_refund_id', '=', stripeRefundId), eb('id', '=', requestId)]),
    )
    .executeTakeFirst();
}

export async function recordRefundFailure(
  db: OrdersDb,
  refundId: number,
  reason: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('payment_refunds')
    .set({ failure_reason: reason.slice(0, 500), updated_at: at })
    .where('id', '=', refundId)
    .where('status', '=', 'requested')
    .execute();
}

/** Records what Stripe says of a refund, if the request still has the status it was read with. */
export async function updateRefund(
  db: OrdersDb,
  refundId: number,
  from: RefundRequestStatus,
  changes: { status: RefundRequestStatus; stripeRefundId: string; failureReason: string | null; at: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('payment_refunds')
    .set({
      status: changes.status,
      stripe_refund_id: changes.stripeRefundId,
      failure_reason: changes.failureReason,
      updated_at: changes.at,
    })
    .where('id', '=', refundId)
    .where('status', '=', from)
    .executeTakeFirst();
  return changed(result) === 1;
}

// Webhook inbox

/**
 * Records a payment provider event as processed, in the transaction of its effect. False when it
 * was processed before (a redelivery): the caller then changes nothing.
 */
export async function recordProviderEvent(db: OrdersDb, eventId: string, at: Date): Promise<boolean> {
  try {
    await db
      .insertInto('inbox')
      .values({ consumer: 'stripe-webhook', message_id: eventId.slice(0, 64), processed_at: at })
      .execute();
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}
