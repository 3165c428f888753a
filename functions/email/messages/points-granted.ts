import { RewardGranted } from '../../../shared/events/catalogue.js';
import { emailConsumer } from '../email-consumer.js';
import { recipientOf } from '../recipients.js';

/** RewardGranted: the points a paid order earned and the balance after them. */
export const sendPointsGranted = emailConsumer({
  name: 'email-points-granted',
  event: RewardGranted,
  template: 'points-granted',
  async compose(grant, { deps, log }) {
    const to = await recipientOf(deps.directory, log, grant);
    return (
      to && {
        to: to.email,
        view: {
          name: to.name,
          orderId: grant.orderId,
          points: grant.points,
          balance: grant.balance,
          ordersLink: deps.links.orders,
        },
      }
    );
  },
});
