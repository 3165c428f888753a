import { OrderPaymentWindowEnded } from '../../../shared/events/catalogue.js';
import type { ConsumerDefinition } from '../../../shared/events/consumer.js';
import type { EventData } from '../../../shared/events/define.js';
import type { CheckoutSession } from '../../../shared/payments/payments.js';
import { days } from '../../../shared/time/clock.js';
import { cancelOrder, isPaid, paymentOf, recordPayment } from '../order-transitions.js';
import { ordersDeps } from '../orders.deps.js';
import * as repo from '../orders.repository.js';
import type { OrdersTables } from '../orders.tables.js';
import { EXPIRY_GRACE_MS } from '../place-order.service.js';

/** What was done outside the transaction: the provider asked about the session, or an unplaced order's holds released. */
type Checked =
  { kind: 'nothing' } | { kind: 'session'; session: CheckoutSession } | { kind: 'unplaced-released' };

/** A delayed payment (a bank debit) can take days: its order is looked at again this much later. */
const PROCESSING_RECHECK_MS = days(1);

/**
 * One scheduled message per order, due when its payment window has ended (plus a grace period):
 * - an order still unpaid then is cancelled, which gives its stock and coupon use back; before
 *   that, its Checkout Session is expired at the provider, and if it turns out paid (a webhook that
 *   never came) the order is approved instead;
 * - a session completed with a delayed payment still processing waits for its outcome;
 * - a window that moved later (a new session) schedules the message again;
 * - an order that was never placed (its request failed between steps) releases what it may hold
 *   and is removed.
 * No timer polls for expired orders, so an idle shop sends no SQL.
 */
export const expireUnpaidOrder: ConsumerDefinition<
  EventData<typeof OrderPaymentWindowEnded>,
  OrdersTables,
  Checked
> = {
  name: 'orders-expire-unpaid',
  event: OrderPaymentWindowEnded,
  database: () => ordersDeps().database,
  async effect({ orderId }) {
    const deps = ordersDeps();
    const order = await repo.findOrder(deps.db, orderId);
    if (order && order.placed_at === null) {
      await deps.catalog.releaseStock(orderId);
      await deps.coupons.release(orderId);
      return { kind: 'unplaced-released' };
    }
    const due = order?.status === 'Pending' && order.expires_at.getTime() <= deps.clock.now().getTime();
    if (!order || !due || !order.checkout_session_id) return { kind: 'nothing' };
    return { kind: 'session', session: await deps.payments.expireCheckoutSession(order.checkout_session_id) };
  },
  async handle({ orderId }, { trx, emit, now, log, effect }) {
    const tx = { trx, emit, now, log };
    if (effect.kind === 'unplaced-released') {
      if (await repo.deleteUnplacedOrder(trx, orderId))
        log.warn('removed an order that was never placed', { orderId });
      return;
    }
    const order = await repo.findOrder(trx, orderId);
    if (!order || order.status !== 'Pending') return; // paid, cancelled, or never placed
    const session = effect.kind === 'session' ? effect.session : undefined;
    if (session && isPaid(session)) {
      await recordPayment(tx, paymentOf(session, orderId));
      return;
    }
    const processing = session?.status === 'complete' && session.paymentStatus === 'unpaid';
    if (processing || order.expires_at.getTime() > now.getTime()) {
      const at = processing
        ? now.getTime() + PROCESSING_RECHECK_MS
        : order.expires_at.getTime() + EXPIRY_GRACE_MS;
      await emit(OrderPaymentWindowEnded, { orderId }, { deliverAt: new Date(at) });
      return;
    }
    await cancelOrder(tx, orderId, 'payment_expired');
  },
};
