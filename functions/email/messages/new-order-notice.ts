import { OrderPaid } from '../../../shared/events/catalogue.js';
import { emailConsumer } from '../email-consumer.js';
import { basketView } from '../email.views.js';

/** OrderPaid: a notice to the shop's own address (SHOP_EMAIL, else ADMIN_EMAIL). */
export const sendNewOrderNotice = emailConsumer({
  name: 'email-new-order-notice',
  event: OrderPaid,
  template: 'new-order-notice',
  async compose(order, { deps, log }) {
    const to = deps.settings.shopAddress;
    if (!to) {
      log.warn('new-order notice skipped: set SHOP_EMAIL (or ADMIN_EMAIL) to receive them', {
        orderId: order.orderId,
      });
      return undefined;
    }
    return {
      to,
      view: {
        customerName: order.name,
        customerEmail: order.email,
        order: { orderId: order.orderId, ...basketView(order, order.currency) },
        ordersLink: deps.links.orders,
      },
    };
  },
});
