import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CartEmailRequested,
  OrderCancelled,
  OrderPaid,
  OrderRefunded,
  PasswordChanged,
  PasswordResetRequested,
  RewardGranted,
  UserRegistered,
} from '../../../shared/events/catalogue.js';
import { consumeMessage, type AnyConsumer } from '../../../shared/events/consumer.js';
import type { EventDefinition } from '../../../shared/events/define.js';
import { registry } from '../../../shared/functions/registry.js';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import '../../auth/index.js';
import '../../orders/index.js';
import { emailDeps } from '../email.deps.js';
import type { EmailTables } from '../email.tables.js';
import '../index.js';
import { sendCart } from '../messages/cart.js';
import { sendNewOrderNotice } from '../messages/new-order-notice.js';
import { sendOrderCancelled } from '../messages/order-cancelled.js';
import { sendOrderConfirmation } from '../messages/order-confirmation.js';
import { sendPasswordChanged } from '../messages/password-changed.js';
import { sendPasswordReset } from '../messages/password-reset.js';
import { sendPointsGranted } from '../messages/points-granted.js';
import { sendRefundConfirmed } from '../messages/refund-confirmed.js';
import { sendWelcome } from '../messages/welcome.js';
import { sendOperationId } from '../operation-id.js';
import {
  aCartEmailRequested,
  aMessage,
  anOrderCancelled,
  anOrderPaid,
  anOrderRefunded,
  aPasswordChanged,
  aPasswordResetRequested,
  aRewardGranted,
  aUserRegistered,
  deliveryOf,
  FlakyMailer,
  publish,
  sendLogOf,
} from './email.builders.js';

/** Each email consumer through the embedded bus: its email, duplicates, failures, malformed input. */

const mailer = new FlakyMailer();
let host: TestHost;
before(async () => {
  host = await startTestHost({
    env: {
      SHOP_NAME: 'Test Shop',
      SHOP_URL: 'https://shop.test',
      SHOP_EMAIL: 'owner@shop.test',
      MAX_DELIVERY_COUNT: '3',
    },
    platform: { mailer },
  });
});
after(async () => {
  await host.close();
  mailer.remove();
});

const mailsWith = async (operationId: string) => (await mailer.list()).filter((m) => m.id === operationId);

interface Case {
  consumer: AnyConsumer;
  event: EventDefinition<unknown>;
  template: string;
  data(): { userId: string } & Record<string, unknown>;
  /** Who it goes to, from the payload. */
  to(data: Record<string, unknown>): string;
  subject(data: Record<string, unknown>): string;
  /** What the plain text must say (the HTML says the same, escaped). */
  says(data: Record<string, unknown>): string[];
}

const cases: Case[] = [
  {
    consumer: sendWelcome,
    event: UserRegistered,
    template: 'welcome',
    data: () => aUserRegistered(),
    to: (d) => String(d['email']),
    subject: () => 'Welcome to Test Shop',
    says: () => ['Hi Ada Lovelace,', 'Start shopping: https://shop.test/'],
  },
  {
    consumer: sendPasswordReset,
    event: PasswordResetRequested,
    template: 'password-reset',
    data: () => aPasswordResetRequested(host.clock.now()),
    to: (d) => String(d['email']),
    subject: () => 'Reset your Test Shop password',
    says: (d) => [
      `Your reset code is: ${String(d['token'])}`,
      `https://shop.test/reset-password?email=${encodeURIComponent(String(d['email']))}&token=${String(d['token'])}`,
      'within 30 minutes',
    ],
  },
  {
    consumer: sendPasswordChanged,
    event: PasswordChanged,
    template: 'password-changed',
    data: () => aPasswordChanged(),
    to: (d) => String(d['email']),
    subject: () => 'Your Test Shop password was changed',
    says: () => ['Hi,', 'signed out everywhere else'],
  },
  {
    consumer: sendOrderConfirmation,
    event: OrderPaid,
    template: 'order-confirmation',
    data: () => anOrderPaid(),
    to: (d) => String(d['email']),
    subject: (d) => `Your Test Shop order #${String(d['orderId'])} is confirmed`,
    says: () => [
      'Hi Alan Turing,',
      '- Teapot: 2 x AUD 12.50 = AUD 25.00',
      '- Cup: 1 x AUD 4.00 = AUD 4.00',
      'Subtotal: AUD 29.00',
      'Discount (SAVE5): -AUD 5.00',
      'Total: AUD 24.00',
      'See your orders: https://shop.test/orders',
    ],
  },
  {
    consumer: sendNewOrderNotice,
    event: OrderPaid,
    template: 'new-order-notice',
    data: () => anOrderPaid(),
    to: () => 'owner@shop.test',
    subject: (d) => `New order #${String(d['orderId'])}: AUD 24.00`,
    says: (d) => [`was paid by Alan Turing <${String(d['email'])}>`, 'Total: AUD 24.00'],
  },
  {
    consumer: sendOrderCancelled,
    event: OrderCancelled,
    template: 'order-cancelled',
    data: () => anOrderCancelled(),
    to: (d) => String(d['email']),
    subject: (d) => `Your Test Shop order #${String(d['orderId'])} was cancelled`,
    says: () => ['was cancelled: you cancelled it.', 'we are refunding AUD 24.00'],
  },
  {
    consumer: sendRefundConfirmed,
    event: OrderRefunded,
    template: 'refund-confirmed',
    data: () => anOrderRefunded(),
    to: (d) => String(d['email']),
    subject: (d) => `Your refund for Test Shop order #${String(d['orderId'])}`,
    says: (d) => [`We have refunded AUD 24.00 for order #${String(d['orderId'])}.`],
  },
  {
    consumer: sendPointsGranted,
    event: RewardGranted,
    template: 'points-granted',
    data: () => aRewardGranted(),
    to: (d) => String(d['email']),
    subject: () => 'You earned 24 points at Test Shop',
    says: () => ['Hi Hedy,', 'earned you 24 points. Your balance is now 124 points.'],
  },
  {
    consumer: sendCart,
    event: CartEmailRequested,
    template: 'cart',
    data: () => aCartEmailRequested(),
    to: (d) => String(d['email']),
    subject: () => 'Your Test Shop cart',
    says: () => [
      '- Kettle: 2 x AUD 7.25 = AUD 14.50',
      'Total: AUD 14.50',
      'Open your cart: https://shop.test/cart',
    ],
  },
];

describe('the email consumers', () => {
  it('subscribe one consumer per (event, template)', () => {
    const ours = registry.consumers
      .filter((c) => c.name.startsWith('email-'))
      .map((c) => [c.name, c.event.topic, c.event.name]);
    assert.deepEqual(
      ours,
      cases.map((c) => [c.consumer.name, c.event.topic, c.event.name]),
    );
  });
});

for (const c of cases) {
  describe(`${c.consumer.name} (${c.event.name})`, () => {
    it('sends its email and records it in the send log', async () => {
      const data = c.data();
      const message = await publish(host, aMessage(c.event, data, host.clock.now()));

      const operationId = sendOperationId(message.id, c.template);
      const [mail, ...more] = await mailsWith(operationId);
      assert.ok(mail, 'the email is in the mailbox under its operation id');
      assert.equal(more.length, 0);
      assert.equal(mail.to, c.to(data));
      assert.equal(mail.subject, c.subject(data));
      for (const text of c.says(data))
        assert.ok(mail.text.includes(text), `text says "${text}":\n${mail.text}`);
      assert.match(mail.html, /^<!doctype html>/);
      assert.ok(mail.html.includes(`<title>${c.subject(data).replace(/=/g, '&#x3D;')}</title>`));
      const log = (await sendLogOf(host, message.id)).filter((r) => r.template === c.template);
      assert.deepEqual(
        log.map((r) => [r.template, r.recipient, r.operation_id, r.provider_message_id, r.event_name]),
        [[c.template, c.to(data), operationId, operationId, c.event.name]],
      );
      assert.equal(deliveryOf(host, c.consumer.name, message.id)?.status, 'done');
    });

    it('sends nothing new when the message is delivered again', async () => {
      const message = await publish(host, aMessage(c.event, c.data(), host.clock.now()));
      const before = (await mailer.list()).length;
      const env = { clock: host.clock, log: host.platform.log };
      assert.equal(await consumeMessage(c.consumer, message, env), 'duplicate');
      await publish(host, message);
      assert.equal((await mailer.list()).length, before);
      assert.equal((await sendLogOf(host, message.id)).filter((r) => r.template === c.template).length, 1);
    });

    it('retries a failing send and dead-letters it with the reason after MAX_DELIVERY_COUNT', async () => {
      const before = (await mailer.list()).length;
      mailer.failNext(Number.POSITIVE_INFINITY); // an outage longer than the retries
      const message = await publish(host, aMessage(c.event, c.data(), host.clock.now()));
      mailer.failNext(0);

      const delivery = deliveryOf(host, c.consumer.name, message.id);
      assert.deepEqual([delivery?.status, delivery?.delivery_count], ['dead', 3]);
      assert.match(delivery?.last_error ?? '', /^Error: email service unavailable \(503\)/);
      assert.equal((await mailer.list()).length, before);
      assert.deepEqual(await sendLogOf(host, message.id), []);
    });

    it('dead-letters a malformed payload at once with the validation error', async () => {
      const before = mailer.attempts;
      const message = await publish(host, aMessage(c.event, { ...c.data(), userId: 42 }, host.clock.now()));

      const delivery = deliveryOf(host, c.consumer.name, message.id);
      assert.deepEqual([delivery?.status, delivery?.delivery_count], ['dead', 1]);
      assert.match(delivery?.last_error ?? '', /^PoisonMessageError: /);
      assert.match(delivery?.last_error ?? '', /expected string, received number[\s\S]*userId/);
      assert.equal(mailer.attempts, before, 'nothing was sent');
    });
  });
}

describe('one send per (event, template)', () => {
  it('OrderPaid sends the confirmation and the shop notice, each under its own operation id', async () => {
    const message = await publish(host, aMessage(OrderPaid, anOrderPaid(), host.clock.now()));
    const log = await sendLogOf(host, message.id);
    assert.deepEqual(log.map((r) => r.template).sort(), ['new-order-notice', 'order-confirmation']);
    assert.notEqual(log[0]?.operation_id, log[1]?.operation_id);
  });

  it('a send that fails and then works is retried to one email', async () => {
    const data = aUserRegistered();
    mailer.failNext(2);
    const message = await publish(host, aMessage(UserRegistered, data, host.clock.now()));

    const delivery = deliveryOf(host, 'email-welcome', message.id);
    assert.deepEqual([delivery?.status, delivery?.delivery_count], ['done', 3]);
    assert.equal((await mailer.list()).filter((m) => m.to === data.email).length, 1);
  });

  it('a crash after the provider accepted, before the send log was written, sends nothing new on redelivery', async () => {
    const data = aUserRegistered();
    const message = aMessage(UserRegistered, data, host.clock.now());
    // The send happens, then the process dies before its transaction: no inbox row, no send log.
    await sendWelcome.effect?.(data, { message, log: host.platform.log });
    assert.equal((await mailer.list()).filter((m) => m.to === data.email).length, 1);

    await publish(host, message);
    assert.equal((await mailer.list()).filter((m) => m.to === data.email).length, 1);
    assert.equal((await sendLogOf(host, message.id)).length, 1);
    assert.equal(deliveryOf(host, 'email-welcome', message.id)?.status, 'done');
  });

  it('checks the send log before sending', async () => {
    const data = aUserRegistered();
    const message = aMessage(UserRegistered, data, host.clock.now());
    await host.platform
      .database<EmailTables>('email')
      .db.insertInto('send_log')
      .values({
        event_id: message.id,
        event_name: message.name,
        template: 'welcome',
        recipient: data.email,
        operation_id: sendOperationId(message.id, 'welcome'),
        provider_message_id: 'sent-by-an-earlier-run',
        sent_at: host.clock.now(),
      })
      .execute();
    await publish(host, message);
    assert.deepEqual(
      (await mailer.list()).filter((m) => m.to === data.email),
      [],
    );
    assert.equal(deliveryOf(host, 'email-welcome', message.id)?.status, 'done');
  });
});

describe('who an email goes to', () => {
  const warnings = (text: string) => host.logs.filter((l) => l.level === 'warn' && l.msg.includes(text));

  it('emails an ADMIN-requested cart (no address in the event) to its owner, looked up by user id', async () => {
    const email = `owner-${Date.now()}@shop.test`;
    const registered = await host.call('POST', '/api/auth/register', {
      json: { email, password: 'Secret#123', name: 'Owner' },
    });
    assert.equal(registered.status, 200, registered.text);
    await host.settle(); // the welcome
    const login = await host.call('POST', '/api/auth/login', { json: { email, password: 'Secret#123' } });
    const userId = (login.body.data as { user: { id: string } }).user.id;

    await publish(
      host,
      aMessage(CartEmailRequested, aCartEmailRequested({ userId, email: '' }), host.clock.now()),
    );
    const [mail] = (await mailer.list()).filter((m) => m.to === email && m.subject === 'Your Test Shop cart');
    assert.ok(mail);
    assert.ok(mail.text.startsWith('Test Shop\n\nHi Owner,'));
  });

  it('logs and completes a cart email for a user who does not exist', async () => {
    const before = (await mailer.list()).length;
    const data = aCartEmailRequested({ email: '' });
    const message = await publish(host, aMessage(CartEmailRequested, data, host.clock.now()));
    assert.equal(deliveryOf(host, 'email-cart', message.id)?.status, 'done');
    assert.equal((await mailer.list()).length, before);
    assert.ok(warnings('unknown user').some((l) => l.fields['userId'] === data.userId));
  });

  it('logs and completes a points email for an order that does not exist', async () => {
    const before = (await mailer.list()).length;
    const data = aRewardGranted({ email: '', orderId: 987_654 });
    const message = await publish(host, aMessage(RewardGranted, data, host.clock.now()));
    assert.equal(deliveryOf(host, 'email-points-granted', message.id)?.status, 'done');
    assert.equal((await mailer.list()).length, before);
    assert.ok(warnings('unknown order').some((l) => l.fields['orderId'] === 987_654));
  });

  it('does not send a reset link that expired before it could be sent', async () => {
    const data = aPasswordResetRequested(new Date(host.clock.now().getTime() - 31 * 60_000));
    const message = await publish(host, aMessage(PasswordResetRequested, data, host.clock.now()));
    assert.equal(deliveryOf(host, 'email-password-reset', message.id)?.status, 'done');
    assert.deepEqual(
      (await mailer.list()).filter((m) => m.to === data.email),
      [],
    );
  });

  it('skips the new-order notice with a warning when the shop has no address', async (t) => {
    const settings = emailDeps(host.platform).settings;
    const address = settings.shopAddress;
    settings.shopAddress = undefined; // as with ACS and neither SHOP_EMAIL nor ADMIN_EMAIL
    t.after(() => (settings.shopAddress = address));
    const data = anOrderPaid();
    const message = await publish(host, aMessage(OrderPaid, data, host.clock.now()));

    assert.deepEqual(
      (await sendLogOf(host, message.id)).map((r) => r.template),
      ['order-confirmation'],
    );
    assert.ok(warnings('new-order notice skipped').some((l) => l.fields['orderId'] === data.orderId));
  });
});
