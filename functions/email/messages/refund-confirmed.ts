import { OrderRefunded } from '../../../shared/events/catalogue.js';
import { emailConsumer } from '../email-consumer.js';
import { formatMoney } from '../email.views.js';
import { recipientOf } from '../recipients.js';

/** OrderRefunded: the provider confirmed the refund of a cancelled order's payment. */
export const sendRefundConfirmed = emailConsumer({
  name: 'email-refund-confirmed',
  event: OrderRefunded,
  template: 'refund-confirmed',
  async compose(refund, { deps, log }) {
    const to = await recipientOf(deps.directory, log, refund);
    return (
      to && {
        to: to.email,
        view: {
          name: to.name,
          orderId: refund.orderId,
          amount: formatMoney(refund.amountMinor, refund.currency),
          ordersLink: deps.links.orders,
        },
      }
    );
  },
});
