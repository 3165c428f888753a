import { CartEmailRequested } from '../../../shared/events/catalogue.js';
import { emailConsumer } from '../email-consumer.js';
import { basketView } from '../email.views.js';
import { recipientOf } from '../recipients.js';

/**
 * CartEmailRequested: the cart's lines, prices and total as they were when it was asked for (the
 * event carries them), to its owner. An ADMIN's request carries no address: the owner is looked up.
 */
export const sendCart = emailConsumer({
  name: 'email-cart',
  event: CartEmailRequested,
  template: 'cart',
  async compose(cart, { deps, log }) {
    const to = await recipientOf(deps.directory, log, { email: cart.email, userId: cart.userId });
    return (
      to && {
        to: to.email,
        view: { name: to.name, basket: basketView(cart, cart.currency), cartLink: deps.links.cart },
      }
    );
  },
});
