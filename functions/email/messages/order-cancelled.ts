import { OrderCancelled } from '../../../shared/events/catalogue.js';
import type { EventData } from '../../../shared/events/define.js';
import { emailConsumer } from '../email-consumer.js';
import { formatMoney } from '../email.views.js';
import { recipientOf } from '../recipients.js';

const reasons: Record<EventData<typeof OrderCancelled>['reason'], string> = {
  customer: 'you cancelled it',
  admin: 'the shop cancelled it',
  payment_expired: 'it was not paid in time',
  payment_failed: 'the payment did not go through',
};

/** OrderCancelled: tells the customer, and that a refund follows when it had been paid. */
export const sendOrderCancelled = emailConsumer({
  name: 'email-order-cancelled',
  event: OrderCancelled,
  template: 'order-cancelled',
  async compose(order, { deps, log }) {
    const to = await recipientOf(deps.directory, log, order);
    return (
      to && {
        to: to.email,
        view: {
          name: to.name,
          orderId: order.orderId,
          total: formatMoney(order.totalMinor, order.currency),
          reason: reasons[order.reason],
          refundFollows: order.wasPaid && order.totalMinor > 0,
          ordersLink: deps.links.orders,
        },
      }
    );
  },
});
