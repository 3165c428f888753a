import { PasswordResetRequested } from '../../../shared/events/catalogue.js';
import { emailConsumer } from '../email-consumer.js';
import { recipientOf } from '../recipients.js';

/**
 * PasswordResetRequested: the single-use reset link (auth keeps only the token's hash). A link that
 * expired before it could be sent (a long outage) is not sent: it could only fail.
 */
export const sendPasswordReset = emailConsumer({
  name: 'email-password-reset',
  event: PasswordResetRequested,
  template: 'password-reset',
  async compose(reset, { deps, log }) {
    const left = Date.parse(reset.expiresAt) - deps.clock.now().getTime();
    if (!(left > 0)) {
      log.info('password reset link expired before it was sent; not sending it', { userId: reset.userId });
      return undefined;
    }
    const to = await recipientOf(deps.directory, log, reset);
    return (
      to && {
        to: to.email,
        view: {
          name: to.name,
          resetLink: deps.links.resetPassword(to.email, reset.token),
          token: reset.token,
          validMinutes: Math.max(1, Math.round(left / 60_000)),
        },
      }
    );
  },
});
