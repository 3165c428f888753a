import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ZodError } from 'zod';
import { stripeCheckoutSession, stripeRefund, type SessionFacts } from './stripe-shapes.js';
import { toCheckoutSession, toPaymentEvent, toRefund } from './stripe-objects.js';

const aSession = (overrides: Partial<SessionFacts> = {}) =>
  stripeCheckoutSession({
    id: 'cs_test_1',
    created: 1_800_000_000,
    expiresAt: 1_800_001_800,
    currency: 'aud',
    amountSubtotal: 3399,
    amountDiscount: 500,
    couponId: 'SAVE5',
    clientReferenceId: '42',
    customerEmail: 'ada@shop.test',
    metadata: { orderId: '42' },
    successUrl: 'http://localhost:3000/?success=true',
    cancelUrl: 'http://localhost:3000/?canceled=true',
    status: 'open',
    paymentStatus: 'unpaid',
    paymentIntent: null,
    url: 'https://checkout.stripe.com/c/pay/cs_test_1',
    ...overrides,
  });

describe('Stripe objects -> the payments port', () => {
  it('maps a Checkout Session, currency in upper case and the order from its metadata', () => {
    assert.deepEqual(toCheckoutSession(aSession()), {
      id: 'cs_test_1',
      url: 'https://checkout.stripe.com/c/pay/cs_test_1',
      status: 'open',
      paymentStatus: 'unpaid',
      paymentIntentId: null,
      amountTotalMinor: 2899,
      currency: 'AUD',
      orderId: 42,
      expiresAt: new Date(1_800_001_800_000),
    });
  });

  it('reads the payment intent whether it is an id or an expanded object', () => {
    const paid = { status: 'complete', paymentStatus: 'paid', paymentIntent: 'pi_1' } as const;
    assert.equal(toCheckoutSession(aSession(paid)).paymentIntentId, 'pi_1');
    const expanded = { ...aSession(paid), payment_intent: { id: 'pi_2', object: 'payment_intent' } };
    assert.equal(toCheckoutSession(expanded).paymentIntentId, 'pi_2');
  });

  it('reads a missing total as 0 and a session without a status by its payment', () => {
    const unpaid = { ...aSession(), amount_total: null, status: null };
    assert.equal(toCheckoutSession(unpaid).amountTotalMinor, 0);
    assert.equal(toCheckoutSession(unpaid).status, 'open');
    const paid = { ...aSession({ paymentStatus: 'paid' }), status: null };
    assert.equal(toCheckoutSession(paid).status, 'complete');
  });

  it('never reads an unknown payment status as paid', () => {
    const session = { ...aSession(), payment_status: 'something_new', status: 'something_else' };
    assert.deepEqual(
      [toCheckoutSession(session).paymentStatus, toCheckoutSession(session).status],
      ['unpaid', 'open'],
    );
  });

  it('takes the order from our own metadata only, never from client_reference_id (anyone can set it on a Payment Link)', () => {
    assert.equal(toCheckoutSession(aSession()).orderId, 42);
    assert.equal(toCheckoutSession(aSession({ metadata: {} })).orderId, null);
    assert.equal(toCheckoutSession(aSession({ metadata: {}, clientReferenceId: '42' })).orderId, null);
    assert.equal(toCheckoutSession(aSession({ metadata: { orderId: '0' } })).orderId, null);
  });

  it('maps a refund, an unknown status reading as pending', () => {
    const refund = stripeRefund({
      id: 're_1',
      created: 1_800_000_000,
      amount: 700,
      currency: 'aud',
      paymentIntent: 'pi_1',
      charge: 'ch_1',
      metadata: { orderId: '42' },
      reason: 'requested_by_customer',
      status: 'failed',
      failureReason: 'expired_or_canceled_card',
    });
    assert.deepEqual(toRefund(refund), {
      id: 're_1',
      status: 'failed',
      amountMinor: 700,
      currency: 'AUD',
      paymentIntentId: 'pi_1',
      orderId: 42,
      requestId: null,
      failureReason: 'expired_or_canceled_card',
    });
    assert.equal(toRefund({ ...refund, status: 'brand_new' }).status, 'pending');
    assert.equal(toRefund({ ...refund, metadata: null }).orderId, null);
    assert.equal(toRefund({ ...refund, metadata: { orderId: '42', refundRequestId: '9' } }).requestId, 9);
  });

  it('maps a failed payment intent event to the order and the reason', () => {
    const event = {
      id: 'evt_1',
      object: 'event',
      type: 'payment_intent.payment_failed',
      data: {
        object: {
          id: 'pi_1',
          object: 'payment_intent',
          metadata: { orderId: '42' },
          last_payment_error: { message: 'Your card was declined.' },
        },
      },
    };
    assert.deepEqual(toPaymentEvent(event), {
      id: 'evt_1',
      type: 'payment_intent.payment_failed',
      paymentIntentId: 'pi_1',
      orderId: 42,
      message: 'Your card was declined.',
    });
  });

  it('refuses an event whose object is not what its type says', () => {
    const event = {
      id: 'evt_2',
      object: 'event',
      type: 'checkout.session.completed',
      data: { object: { id: 're_1', object: 'refund' } },
    };
    assert.throws(() => toPaymentEvent(event), ZodError);
  });
});
