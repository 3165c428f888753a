import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { StripePayments } from '../payments/stripe-payments.js';
import { ManualClock } from '../time/clock.js';
import { aCheckoutRequest } from './payment-builders.js';
import { startStripeDouble, type StripeDouble } from './stripe-double.js';

/** The double's own promises, the ones the orders domain's tests lean on. */
describe('the Stripe double', () => {
  const clock = new ManualClock(new Date());
  let stripe: StripeDouble;
  let payments: StripePayments;
  let sdk: Stripe;
  before(async () => {
    stripe = await startStripeDouble({ clock });
    payments = new StripePayments({
      secretKey: stripe.secretKey,
      webhookSecret: stripe.webhookSecret,
      toleranceSeconds: 300,
      apiUrl: stripe.url,
      clock,
    });
    const { port } = new URL(stripe.url);
    sdk = new Stripe(stripe.secretKey, { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0 });
  });
  after(() => stripe.close());

  const parse = (signed: { payload: string; header: string }) =>
    payments.parseWebhook(Buffer.from(signed.payload), signed.header);

  it('refuses another API key', async () => {
    const stranger = new Stripe('sk_test_someone_else', {
      host: '127.0.0.1',
      port: new URL(stripe.url).port,
      protocol: 'http',
    });
    await assert.rejects(
      stranger.coupons.create({ amount_off: 100, currency: 'aud' }),
      Stripe.errors.StripeAuthenticationError,
    );
  });

  it('refuses parameters Stripe does not know, naming them', async () => {
    await assert.rejects(
      sdk.coupons.create({ amount_off: 100, currency: 'aud', nonsense: 'x' } as Stripe.CouponCreateParams),
      /Received unknown parameter: nonsense/,
    );
  });

  it('replays the first answer for a repeated idempotency key, and refuses it with other parameters', async () => {
    const key = randomUUID();
    const first = await sdk.coupons.create({ amount_off: 100, currency: 'aud' }, { idempotencyKey: key });
    const again = await sdk.coupons.create({ amount_off: 100, currency: 'aud' }, { idempotencyKey: key });
    assert.equal(again.id, first.id);
    assert.equal(stripe.requests.at(-1)?.status, 200);
    await assert.rejects(
      sdk.coupons.create({ amount_off: 200, currency: 'aud' }, { idempotencyKey: key }),
      Stripe.errors.StripeIdempotencyError,
    );
  });

  it('plays a delayed payment: completed unpaid, then settled', async () => {
    const session = await payments.createCheckoutSession(aCheckoutRequest(clock), randomUUID());
    const completed = await parse(stripe.completeSession(session.id, { paymentStatus: 'unpaid' }));
    assert.ok('session' in completed);
    assert.deepEqual([completed.session.status, completed.session.paymentStatus], ['complete', 'unpaid']);
    const settled = await parse(stripe.asyncPaymentEvent(session.id, 'succeeded'));
    assert.equal(settled.type, 'checkout.session.async_payment_succeeded');
    assert.ok('session' in settled);
    assert.equal(settled.session.paymentStatus, 'paid');
  });

  it('plays a refund that fails after it was made', async () => {
    const session = await payments.createCheckoutSession(aCheckoutRequest(clock), randomUUID());
    stripe.completeSession(session.id);
    const paymentIntentId = String(stripe.session(session.id).payment_intent);
    const refund = await payments.refund(
      { paymentIntentId, amountMinor: 2899, orderId: 42, requestId: 7, reason: 'requested_by_customer' },
      randomUUID(),
    );
    const failed = await parse(stripe.refundEvent(refund.id, 'failed'));
    assert.equal(failed.type, 'refund.failed');
    assert.ok('refund' in failed);
    assert.deepEqual(
      [failed.refund.status, failed.refund.failureReason],
      ['failed', 'expired_or_canceled_card'],
    );
    // The money is back on the payment, so it can be refunded again.
    const retried = await payments.refund(
      { paymentIntentId, amountMinor: 2899, orderId: 42, requestId: 7, reason: 'requested_by_customer' },
      randomUUID(),
    );
    assert.equal(retried.status, 'succeeded');
  });

  it('completes a session with nothing to pay without a payment intent', async () => {
    const session = await payments.createCheckoutSession(
      aCheckoutRequest(clock, { discountMinor: 1_000_000 }),
      randomUUID(),
    );
    const event = await parse(stripe.completeSession(session.id));
    assert.ok('session' in event);
    assert.deepEqual(
      [event.session.paymentStatus, event.session.paymentIntentId],
      ['no_payment_required', null],
    );
  });

  it('delivers an event to a webhook as Stripe does: the exact body and its signature', async () => {
    let received: { body: string; signature: string } | undefined;
    const webhook = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received = {
          body: Buffer.concat(chunks).toString(),
          signature: String(req.headers['stripe-signature']),
        };
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    try {
      const session = await payments.createCheckoutSession(aCheckoutRequest(clock), randomUUID());
      const signed = stripe.expiredEvent(session.id);
      const res = await stripe.deliver(
        signed,
        `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/`,
      );
      assert.equal(res.status, 200);
      assert.deepEqual(received, { body: signed.payload, signature: signed.header });
      assert.equal((await parse(signed)).type, 'checkout.session.expired');
    } finally {
      webhook.close();
    }
  });
});
