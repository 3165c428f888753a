import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { aCheckoutRequest } from '../testing/payment-builders.js';
import { startStripeDouble, type StripeDouble } from '../testing/stripe-double.js';
import { ManualClock } from '../time/clock.js';
import { StripePayments } from './stripe-payments.js';
import { unixSeconds } from './stripe-shapes.js';

describe('StripePayments: the requests it makes of Stripe', () => {
  const clock = new ManualClock(new Date());
  let stripe: StripeDouble;
  let payments: StripePayments;
  before(async () => {
    stripe = await startStripeDouble({ clock });
    payments = new StripePayments({
      secretKey: stripe.secretKey,
      webhookSecret: stripe.webhookSecret,
      toleranceSeconds: 300,
      apiUrl: stripe.url,
      clock,
    });
  });
  after(async () => {
    await payments.close();
    await stripe.close();
  });

  const requestsSince = (mark: number) => stripe.requests.slice(mark);

  it('creates the discount as a one-off fixed-amount coupon, then the session with it', async () => {
    const request = aCheckoutRequest(clock, {
      discountLabel: 'Coupon SAVE5: five dollars off orders of fifty or more',
    });
    const key = `order-42-${randomUUID()}`;
    const mark = stripe.requests.length;
    const session = await payments.createCheckoutSession(request, key);

    const [coupon, created, ...more] = requestsSince(mark);
    assert.equal(more.length, 0);
    assert.deepEqual(
      { method: coupon?.method, path: coupon?.path, key: coupon?.idempotencyKey, body: coupon?.body },
      {
        method: 'POST',
        path: '/v1/coupons',
        key: `${key}-coupon`,
        body: {
          amount_off: '500',
          currency: 'aud',
          duration: 'once',
          max_redemptions: '1',
          name: 'Coupon SAVE5: five dollars off orders of', // Stripe's 40 characters
        },
      },
    );
    const couponId = couponIdOf(created?.body);
    assert.ok(
      stripe.coupons().some((c) => c.id === couponId && c.amount_off === 500 && c.percent_off === null),
    );

    assert.equal(created?.method, 'POST');
    assert.equal(created?.path, '/v1/checkout/sessions');
    assert.equal(created?.idempotencyKey, key);
    assert.equal(created?.headers['authorization'], `Bearer ${stripe.secretKey}`);
    assert.equal(created?.headers['stripe-version'], Stripe.API_VERSION);
    assert.deepEqual(created?.body, {
      mode: 'payment',
      currency: 'aud',
      line_items: [
        {
          quantity: '2',
          price_data: {
            currency: 'aud',
            unit_amount: '1250',
            product_data: { name: 'Blue mug', images: ['https://cdn.shop.test/mug.png'] },
          },
        },
        {
          quantity: '1',
          price_data: { currency: 'aud', unit_amount: '899', product_data: { name: 'Green tea' } },
        },
      ],
      discounts: [{ coupon: couponId }],
      client_reference_id: '42',
      metadata: { orderId: '42' },
      payment_intent_data: { metadata: { orderId: '42' } },
      expires_at: String(unixSeconds(request.expiresAt)),
      success_url: request.successUrl,
      cancel_url: request.cancelUrl,
      customer_email: 'ada@shop.test',
    });
    assert.doesNotMatch(JSON.stringify(stripe.requests), /percent_off/);
    assert.equal(session.amountTotalMinor, stripe.session(session.id).amount_total);
  });

  it('sends no coupon without a discount, no email when there is none, and no image that is not https', async () => {
    const request = aCheckoutRequest(clock, {
      discountMinor: 0,
      customerEmail: '',
      lines: [
        {
          name: 'Lamp',
          imageUrl: 'http://127.0.0.1:7071/media/lamp.png',
          unitAmountMinor: 4000,
          quantity: 1,
        },
      ],
    });
    const mark = stripe.requests.length;
    await payments.createCheckoutSession(request, randomUUID());

    const sent = requestsSince(mark);
    assert.deepEqual(
      sent.map((r) => r.path),
      ['/v1/checkout/sessions'],
    );
    const body = sent[0]?.body ?? {};
    assert.equal('discounts' in body, false);
    assert.equal('customer_email' in body, false);
    assert.deepEqual(body['line_items'], [
      { quantity: '1', price_data: { currency: 'aud', unit_amount: '4000', product_data: { name: 'Lamp' } } },
    ]);
  });

  it('retries a request Stripe failed, under the same idempotency key, and creates one session', async () => {
    const key = randomUUID();
    const mark = stripe.requests.length;
    stripe.failNext(1, 500);
    const session = await payments.createCheckoutSession(aCheckoutRequest(clock, { discountMinor: 0 }), key);

    const sent = requestsSince(mark);
    assert.deepEqual(
      sent.map((r) => [r.path, r.idempotencyKey, r.status]),
      [
        ['/v1/checkout/sessions', key, 500],
        ['/v1/checkout/sessions', key, 200],
      ],
    );
    assert.equal(stripe.session(session.id).id, session.id);
  });

  it('refunds the payment intent with the amount, the reason and the order id, under the given key', async () => {
    const session = await payments.createCheckoutSession(aCheckoutRequest(clock), randomUUID());
    stripe.completeSession(session.id);
    const paymentIntentId = stripe.session(session.id).payment_intent;
    assert.equal(typeof paymentIntentId, 'string');
    const mark = stripe.requests.length;
    await payments.refund(
      {
        paymentIntentId: String(paymentIntentId),
        amountMinor: 700,
        orderId: 42,
        requestId: 7,
        reason: 'duplicate',
      },
      'refund-42-1',
    );

    const [sent] = requestsSince(mark);
    assert.equal(sent?.path, '/v1/refunds');
    assert.equal(sent?.idempotencyKey, 'refund-42-1');
    assert.deepEqual(sent?.body, {
      payment_intent: paymentIntentId,
      amount: '700',
      reason: 'duplicate',
      metadata: { orderId: '42', refundRequestId: '7' },
    });
  });

  it('copies the order id onto the payment intent', async () => {
    const session = await payments.createCheckoutSession(aCheckoutRequest(clock), randomUUID());
    assert.deepEqual(stripe.paymentIntentMetadata(session.id), { orderId: '42' });
  });

  it('expires through Stripe, and reads a session Stripe will not expire instead of failing', async () => {
    const session = await payments.createCheckoutSession(aCheckoutRequest(clock), randomUUID());
    stripe.completeSession(session.id);
    const mark = stripe.requests.length;
    const answered = await payments.expireCheckoutSession(session.id);

    assert.equal(answered.status, 'complete');
    assert.deepEqual(
      requestsSince(mark).map((r) => [r.method, r.path, r.status]),
      [
        ['POST', `/v1/checkout/sessions/${session.id}/expire`, 400],
        ['GET', `/v1/checkout/sessions/${session.id}`, 200],
      ],
    );
  });

  it('passes on Stripe’s error for a session that does not exist', async () => {
    await assert.rejects(payments.expireCheckoutSession('cs_test_nope'), /No such checkout.session/);
    await assert.rejects(payments.retrieveCheckoutSession('cs_test_nope'), /No such checkout.session/);
  });

  it('reads an expired session Stripe timed out on its own', async () => {
    const session = await payments.createCheckoutSession(aCheckoutRequest(clock), randomUUID());
    clock.advance(61 * 60_000);
    const read = await payments.retrieveCheckoutSession(session.id);
    assert.equal(read.status, 'expired');
    assert.equal(read.url, null);
  });
});

/** The coupon a session form refers to. */
function couponIdOf(body: unknown): string {
  const discounts = body && typeof body === 'object' && 'discounts' in body ? body.discounts : undefined;
  const first: unknown = Array.isArray(discounts) ? discounts[0] : undefined;
  return first && typeof first === 'object' && 'coupon' in first && typeof first.coupon === 'string'
    ? first.coupon
    : '';
}
