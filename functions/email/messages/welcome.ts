import { UserRegistered } from '../../../shared/events/catalogue.js';
import { emailConsumer } from '../email-consumer.js';
import { recipientOf } from '../recipients.js';

/** UserRegistered: a welcome to the new customer. */
export const sendWelcome = emailConsumer({
  name: 'email-welcome',
  event: UserRegistered,
  template: 'welcome',
  async compose(user, { deps, log }) {
    const to = await recipientOf(deps.directory, log, user);
    return to && { to: to.email, view: { name: to.name, shopLink: deps.links.home } };
  },
});
