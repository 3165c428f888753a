import { OrderPaid } from '../../../shared/events/catalogue.js';
import { emailConsumer } from '../email-consumer.js';
import { basketView } from '../email.views.js';
import { recipientOf } from '../recipients.js';

/** OrderPaid: the customer's confirmation, with the lines and totals as they were paid. */
export const sendOrderConfirmation = emailConsumer({
  name: 'email-order-confirmation',
  event: OrderPaid,
  template: 'order-confirmation',
  async compose(order, { deps, log }) {
    const to = await recipientOf(deps.directory, log, order);
    return (
      to && {
        to: to.email,
        view: {
          name: to.name,
          order: { orderId: order.orderId, ...basketView(order, order.currency) },
          ordersLink: deps.links.orders,
        },
      }
    );
  },
});
