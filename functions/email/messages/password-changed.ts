import { PasswordChanged } from '../../../shared/events/catalogue.js';
import { emailConsumer } from '../email-consumer.js';
import { recipientOf } from '../recipients.js';

/** PasswordChanged (changed or reset): tells the owner, in case it was not them. */
export const sendPasswordChanged = emailConsumer({
  name: 'email-password-changed',
  event: PasswordChanged,
  template: 'password-changed',
  async compose(change, { deps, log }) {
    const to = await recipientOf(deps.directory, log, change);
    return (
      to && {
        to: to.email,
        view: { name: to.name, wasReset: change.reason === 'reset', shopLink: deps.links.home },
      }
    );
  },
});
