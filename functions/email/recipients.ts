import type { Logger } from '../../shared/telemetry/logger.js';
import type { Directory } from './email.deps.js';

export interface Recipient {
  email: string;
  /** '' when unknown: the email greets without a name. */
  name: string;
}

/**
 * Who an email goes to. Events carry the address when the producer knew it; one that does not
 * (a cart an ADMIN asked to email, points granted without an address) is looked up by its order or
 * user. An unknown order or user is logged and the email skipped: the message is completed, since
 * no retry would make them exist.
 */
export async function recipientOf(
  directory: Directory,
  log: Logger,
  who: { email: string; name?: string; orderId?: number; userId?: string },
): Promise<Recipient | undefined> {
  if (who.email.trim() !== '') return { email: who.email, name: who.name ?? '' };
  if (who.orderId !== undefined) {
    const order = await directory.orderOf(who.orderId);
    if (order?.email) return { email: order.email, name: who.name || order.name };
    if (!order) {
      log.warn('email skipped: unknown order', { orderId: who.orderId });
      return undefined;
    }
  }
  if (who.userId !== undefined) {
    const contact = await directory.contactOf(who.userId);
    if (contact?.email) return { email: contact.email, name: who.name || contact.name };
    if (!contact) {
      log.warn('email skipped: unknown user', { userId: who.userId });
      return undefined;
    }
  }
  log.warn('email skipped: no address to send it to', { orderId: who.orderId, userId: who.userId });
  return undefined;
}
