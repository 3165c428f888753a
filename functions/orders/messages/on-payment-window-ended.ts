import { OrderPaymentWindowEnded } from '../../../shared/events/catalogue.js';
import type { ConsumerDefinition } from '../../../shared/events/consumer.js';
import type { EventData } from '../../../shared/events/define.js';
import type { CheckoutSession } from '../../../shared/payments/payments.js';
import { cancelOrder, isPaid, paymentOf, recordPayment } from '../order-transitions.js';
import { ordersDeps } from '../orders.deps.js';
import * as repo from '../orders.repository.js';
import type { OrdersTables } from '../orders.tables.js';
import { EXPIRY_GRACE_MS } from '../place-order.service.js';

/** What the payment provider said of the order's session before the transaction (none: not asked). */
type Checked = { session: CheckoutSession | undefined };

/**
 * One scheduled message per order, due when its payment window has ended (plus a grace period): an
 * order still unpaid then is cancelled, which gives its stock and coupon use back. No timer polls
 * for expired orders, so an idle shop sends no SQL. Before cancelling, the order's Checkout Session
 * is expired at the provider; if it turns out paid (a webhook that never came), the order is
 * approved instead. A window that moved later (a new session) schedules the message again.
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
    const due = order?.status === 'Pending' && order.expires_at.getTime() <= deps.clock.now().getTime();
    if (!order || !due || !order.checkout_session_id) return { session: undefined };
    return { session: await deps.payments.expireCheckoutSession(order.checkout_session_id) };
  },
  async handle({ orderId }, { trx, emit, now, log, effect }) {
    const tx = { trx, emit, now, log };
    const order = await repo.findOrder(trx, orderId);
    if (!order || order.status !== 'Pending') return; // paid, cancelled, or never placed
    if (effect.session && isPaid(effect.session)) {
      await recordPayment(tx, paymentOf(effect.session, orderId));
      return;
    }
    if (order.expires_at.getTime() > now.getTime()) {
      await emit(
        OrderPaymentWindowEnded,
        { orderId },
        { deliverAt: new Date(order.expires_at.getTime() + EXPIRY_GRACE_MS) },
      );
      return;
    }
    await cancelOrder(tx, orderId, 'payment_expired');
  },
};
