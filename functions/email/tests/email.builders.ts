import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventData, EventDefinition, EventMessage } from '../../../shared/events/define.js';
import type {
  CartEmailRequested,
  OrderCancelled,
  OrderPaid,
  OrderRefunded,
  PasswordChanged,
  PasswordResetRequested,
  RewardGranted,
  UserRegistered,
} from '../../../shared/events/catalogue.js';
import { LocalMailbox, type StoredEmail } from '../../../shared/email/local-mailbox.js';
import type { EmailMessage, Mailer, SendOptions } from '../../../shared/email/mailer.js';
import type { TestHost } from '../../../shared/testing/test-host.js';
import type { EmailTables, SendLogRow } from '../email.tables.js';

/** Test data for the email domain: event payloads with defaults, and a mailer that can fail. */

let counter = 0;
const next = () => ++counter;

export const aUserRegistered = (
  overrides: Partial<EventData<typeof UserRegistered>> = {},
): EventData<typeof UserRegistered> => ({
  userId: randomUUID(),
  email: `ada${next()}@shop.test`,
  name: 'Ada Lovelace',
  ...overrides,
});

export const aPasswordResetRequested = (
  now: Date,
  overrides: Partial<EventData<typeof PasswordResetRequested>> = {},
): EventData<typeof PasswordResetRequested> => ({
  userId: randomUUID(),
  email: `reset${next()}@shop.test`,
  name: 'Grace',
  token: `token-${randomUUID()}`,
  expiresAt: new Date(now.getTime() + 30 * 60_000).toISOString(),
  ...overrides,
});

export const aPasswordChanged = (
  overrides: Partial<EventData<typeof PasswordChanged>> = {},
): EventData<typeof PasswordChanged> => ({
  userId: randomUUID(),
  email: `changed${next()}@shop.test`,
  reason: 'changed',
  ...overrides,
});

const aCustomerOf = (orderId: number) => ({
  orderId,
  userId: randomUUID(),
  email: `buyer${orderId}@shop.test`,
  name: 'Alan Turing',
  currency: 'AUD',
});

export const anOrderPaid = (
  overrides: Partial<EventData<typeof OrderPaid>> = {},
): EventData<typeof OrderPaid> => ({
  ...aCustomerOf(overrides.orderId ?? 5000 + next()),
  lines: [
    {
      productId: 1,
      name: 'Teapot',
      imageUrl: 'https://media.shop.test/teapot.png',
      count: 2,
      unitPriceMinor: 12_50,
      lineTotalMinor: 25_00,
    },
    { productId: 2, name: 'Cup', imageUrl: '', count: 1, unitPriceMinor: 4_00, lineTotalMinor: 4_00 },
  ],
  subtotalMinor: 29_00,
  discountMinor: 5_00,
  totalMinor: 24_00,
  couponCode: 'SAVE5',
  paymentIntentId: 'pi_local_1',
  paidAt: '2026-12-04T10:00:00.000Z',
  ...overrides,
});

export const anOrderCancelled = (
  overrides: Partial<EventData<typeof OrderCancelled>> = {},
): EventData<typeof OrderCancelled> => ({
  ...aCustomerOf(overrides.orderId ?? 5000 + next()),
  totalMinor: 24_00,
  wasPaid: true,
  reason: 'customer',
  lines: [{ productId: 1, count: 2 }],
  ...overrides,
});

export const anOrderRefunded = (
  overrides: Partial<EventData<typeof OrderRefunded>> = {},
): EventData<typeof OrderRefunded> => ({
  ...aCustomerOf(overrides.orderId ?? 5000 + next()),
  amountMinor: 24_00,
  refundId: 're_local_1',
  ...overrides,
});

export const aRewardGranted = (
  overrides: Partial<EventData<typeof RewardGranted>> = {},
): EventData<typeof RewardGranted> => ({
  userId: randomUUID(),
  email: `points${next()}@shop.test`,
  name: 'Hedy',
  balance: 124,
  orderId: 5000 + next(),
  points: 24,
  settledOwed: 0,
  ...overrides,
});

export const aCartEmailRequested = (
  overrides: Partial<EventData<typeof CartEmailRequested>> = {},
): EventData<typeof CartEmailRequested> => ({
  userId: randomUUID(),
  email: `cart${next()}@shop.test`,
  cartHeaderId: 7,
  couponCode: '',
  currency: 'AUD',
  subtotalMinor: 14_50,
  discountMinor: 0,
  totalMinor: 14_50,
  lines: [
    {
      productId: 3,
      name: 'Kettle',
      imageUrl: 'https://media.shop.test/kettle.png',
      count: 2,
      unitPriceMinor: 7_25,
      lineTotalMinor: 14_50,
    },
  ],
  ...overrides,
});

/** An event message as a producer's outbox would publish it (`data` unchecked: tests send bad ones). */
export function aMessage<T>(
  definition: EventDefinition<T>,
  data: unknown,
  occurredAt = new Date(),
): EventMessage {
  return {
    id: randomUUID(),
    name: definition.name,
    version: definition.version,
    topic: definition.topic,
    occurredAt: occurredAt.toISOString(),
    data,
  };
}

/** Publishes a message on the host's bus and delivers everything due. */
export async function publish(host: TestHost, message: EventMessage): Promise<EventMessage> {
  await host.platform.transport.publish(message.topic, [message]);
  await host.settle();
  return message;
}

/**
 * A local mailbox that fails while told to (an outage of the email service): each failing send
 * throws before anything is stored.
 */
export class FlakyMailer implements Mailer {
  readonly kind = 'mailbox' as const;
  readonly folder = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-email-test-'));
  readonly mailbox = new LocalMailbox(this.folder);
  #failures = 0;
  attempts = 0;

  /** The next `count` sends fail. */
  failNext(count: number): void {
    this.#failures = count;
  }

  async send(message: EmailMessage, options?: SendOptions): Promise<{ id: string }> {
    this.attempts++;
    if (this.#failures > 0) {
      this.#failures--;
      throw new Error('email service unavailable (503)');
    }
    return this.mailbox.send(message, options);
  }

  async ping(): Promise<void> {}

  /** Newest first. */
  list(): Promise<StoredEmail[]> {
    return this.mailbox.list();
  }

  remove(): void {
    fs.rmSync(this.folder, { recursive: true, force: true });
  }
}

export function sendLogOf(host: TestHost, eventId: string): Promise<SendLogRow[]> {
  return host.platform
    .database<EmailTables>('email')
    .db.selectFrom('send_log')
    .selectAll()
    .where('event_id', '=', eventId)
    .execute();
}

/** The delivery of a message to one subscription, as the embedded bus recorded it. */
export function deliveryOf(host: TestHost, subscription: string, messageId: string) {
  return host.platform.bus?.deliveries({ subscription }).find((d) => d.message_id === messageId);
}
