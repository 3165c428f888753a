import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryLogger } from '../telemetry/logger.js';
import { aCheckoutRequest, eventSummary } from '../testing/payment-builders.js';
import { startStripeDouble } from '../testing/stripe-double.js';
import { ManualClock } from '../time/clock.js';
import { LocalPayments } from './local-payments.js';
import { IdempotencyKeyReusedError, WebhookSignatureError, type PaymentProvider } from './payments.js';
import { StripePayments } from './stripe-payments.js';
import { signStripePayload } from './stripe-webhooks.js';

/** A webhook delivery: the raw body and its Stripe-Signature header. */
interface Signed {
  payload: string;
  header: string;
}

/** A payments adapter under test, and Stripe's side of it (what the shopper and Stripe do). */
interface Harness {
  payments: PaymentProvider;
  clock: ManualClock;
  webhookSecret: string;
  toleranceSeconds: number;
  /** What a session's payment page URL looks like. */
  sessionUrl: RegExp;
  /** The shopper pays; answers the signed `checkout.session.completed` the shop's webhook receives. */
  pay(sessionId: string): Promise<Signed>;
  /** The signed event that tells the shop about this refund. */
  refundEvent(refundId: string): Promise<Signed>;
  /** The signed `checkout.session.expired` for a session that was expired. */
  expiredEvent(sessionId: string): Promise<Signed>;
  close(): Promise<void>;
}

const newKey = () => `test-${randomUUID()}`;

function paymentsContract(name: string, start: () => Promise<Harness>) {
  describe(`${name} (payments contract)`, () => {
    let h: Harness;
    before(async () => (h = await start()));
    after(() => h.close());

    const createSession = (overrides = {}) =>
      h.payments.createCheckoutSession(aCheckoutRequest(h.clock, overrides), newKey());

    const paidSession = async () => {
      const session = await createSession();
      const completed = await h.pay(session.id);
      return { session: await h.payments.retrieveCheckoutSession(session.id), completed };
    };

    it('creates an open, unpaid session whose total is the lines less the discount', async () => {
      const request = aCheckoutRequest(h.clock);
      const session = await h.payments.createCheckoutSession(request, newKey());

      assert.match(session.id, /^cs_test_/);
      assert.match(session.url ?? '', h.sessionUrl);
      assert.equal(session.status, 'open');
      assert.equal(session.paymentStatus, 'unpaid');
      assert.equal(session.paymentIntentId, null);
      assert.equal(session.amountTotalMinor, 2 * 1250 + 899 - 500);
      assert.equal(session.currency, 'AUD');
      assert.equal(session.orderId, 42);
      assert.equal(session.expiresAt.getTime(), Math.floor(request.expiresAt.getTime() / 1000) * 1000);
    });

    it('takes no more off than the order is worth: a discount above the subtotal leaves nothing to pay', async () => {
      const session = await createSession({ discountMinor: 1_000_000 });
      assert.equal(session.amountTotalMinor, 0);
    });

    it('answers the same session for the same idempotency key and request', async () => {
      const request = aCheckoutRequest(h.clock);
      const key = newKey();
      const first = await h.payments.createCheckoutSession(request, key);
      const again = await h.payments.createCheckoutSession({ ...request }, key);
      assert.equal(again.id, first.id);
      assert.equal(again.url, first.url);
    });

    it('refuses the same idempotency key with a different request', async () => {
      const key = newKey();
      await h.payments.createCheckoutSession(aCheckoutRequest(h.clock), key);
      await assert.rejects(
        h.payments.createCheckoutSession(aCheckoutRequest(h.clock, { orderId: 43 }), key),
        IdempotencyKeyReusedError,
      );
    });

    it('refuses a total above zero but below the currency’s minimum charge', async () => {
      await assert.rejects(
        createSession({
          lines: [{ name: 'Sticker', imageUrl: '', unitAmountMinor: 30, quantity: 1 }],
          discountMinor: 0,
        }),
        /at least 50/,
      );
    });

    it('refuses an expiry sooner than 30 minutes away', async () => {
      await assert.rejects(
        createSession({ expiresAt: new Date(h.clock.now().getTime() + 10 * 60_000) }),
        /at least 30 minutes/,
      );
    });

    it('retrieves a session as it was created', async () => {
      const created = await createSession();
      assert.deepEqual(await h.payments.retrieveCheckoutSession(created.id), created);
    });

    it('expires an open session, and answers an expired one as it is', async () => {
      const created = await createSession();
      const expired = await h.payments.expireCheckoutSession(created.id);
      assert.equal(expired.status, 'expired');
      assert.equal(expired.url, null);
      assert.equal(expired.paymentStatus, 'unpaid');
      assert.deepEqual(await h.payments.expireCheckoutSession(created.id), expired);
      assert.deepEqual(await h.payments.retrieveCheckoutSession(created.id), expired);
    });

    it('tells the shop, with a signed event, that a session expired', async () => {
      const created = await createSession();
      await h.payments.expireCheckoutSession(created.id);
      const signed = await h.expiredEvent(created.id);
      const event = await h.payments.parseWebhook(Buffer.from(signed.payload), signed.header);
      assert.equal(event.type, 'checkout.session.expired');
      assert.ok('session' in event);
      assert.equal(event.session.id, created.id);
      assert.equal(event.session.status, 'expired');
      assert.equal(event.session.orderId, 42);
    });

    it('completes a paid session with a payment intent, and signs the event it sends', async () => {
      const { session, completed } = await paidSession();
      assert.equal(session.status, 'complete');
      assert.equal(session.paymentStatus, 'paid');
      assert.match(session.paymentIntentId ?? '', /^pi_/);
      assert.equal(session.url, null);

      const event = await h.payments.parseWebhook(Buffer.from(completed.payload), completed.header);
      assert.equal(event.type, 'checkout.session.completed');
      assert.match(event.id, /^evt_/);
      assert.ok('session' in event);
      assert.deepEqual(event.session, session);
    });

    it('answers a paid session as it is when asked to expire it', async () => {
      const { session } = await paidSession();
      assert.deepEqual(await h.payments.expireCheckoutSession(session.id), session);
    });

    it('refunds a payment once per idempotency key, and tells the shop about the refund', async () => {
      const { session } = await paidSession();
      const paymentIntentId = session.paymentIntentId ?? '';
      const request = {
        paymentIntentId,
        amountMinor: 1000,
        orderId: 42,
        requestId: 7,
        reason: 'requested_by_customer' as const,
      };
      const key = newKey();

      const refund = await h.payments.refund(request, key);
      assert.match(refund.id, /^re_/);
      assert.equal(refund.status, 'succeeded');
      assert.equal(refund.amountMinor, 1000);
      assert.equal(refund.currency, 'AUD');
      assert.equal(refund.paymentIntentId, paymentIntentId);
      assert.equal(refund.orderId, 42);
      assert.equal(refund.failureReason, null);
      assert.deepEqual(await h.payments.refund(request, key), refund);
      await assert.rejects(
        h.payments.refund({ ...request, amountMinor: 999 }, key),
        IdempotencyKeyReusedError,
      );

      const signed = await h.refundEvent(refund.id);
      const event = await h.payments.parseWebhook(Buffer.from(signed.payload), signed.header);
      assert.match(event.type, /^refund\./);
      assert.ok('refund' in event);
      assert.equal(event.refund.id, refund.id);
      assert.equal(event.refund.orderId, 42);
    });

    it('refuses to refund more than was paid', async () => {
      const { session } = await paidSession();
      const request = {
        paymentIntentId: session.paymentIntentId ?? '',
        amountMinor: session.amountTotalMinor + 1,
        orderId: 42,
        requestId: 7,
        reason: 'requested_by_customer' as const,
      };
      await assert.rejects(h.payments.refund(request, newKey()), /greater than unrefunded amount/);
    });

    it('reads an event type the shop does not act on as other', async () => {
      const payload = JSON.stringify({
        id: 'evt_other',
        object: 'event',
        type: 'customer.created',
        data: { object: { id: 'cus_1', object: 'customer' } },
      });
      const header = await signStripePayload(payload, h.webhookSecret, h.clock);
      assert.deepEqual(await h.payments.parseWebhook(Buffer.from(payload), header), {
        id: 'evt_other',
        type: 'other',
        stripeType: 'customer.created',
      });
    });

    describe('refuses webhooks it cannot trust', () => {
      let genuine: Signed;
      before(async () => (genuine = (await paidSession()).completed));
      const refused = (body: string, header: string | undefined) =>
        assert.rejects(h.payments.parseWebhook(Buffer.from(body), header), WebhookSignatureError);

      it('signed with another secret', async () => {
        await refused(
          genuine.payload,
          await signStripePayload(genuine.payload, 'whsec_someone_else', h.clock),
        );
      });

      it('without a signature header', async () => {
        await refused(genuine.payload, undefined);
        await refused(genuine.payload, '');
      });

      it('with a body changed after signing', async () => {
        const tampered = genuine.payload.replace('"paid"', '"unpaid"');
        assert.notEqual(tampered, genuine.payload);
        await refused(tampered, genuine.header);
      });

      it('signed longer ago than the tolerance', async () => {
        const stale = new ManualClock(new Date(h.clock.now().getTime() - (h.toleranceSeconds + 5) * 1000));
        await refused(genuine.payload, await signStripePayload(genuine.payload, h.webhookSecret, stale));
      });

      it('that is not a Stripe event', async () => {
        const body = JSON.stringify({ hello: 'world' });
        await refused(body, await signStripePayload(body, h.webhookSecret, h.clock));
      });
    });
  });
}

// ---- the adapters -------------------------------------------------------------------------------

paymentsContract('LocalPayments', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-payments-test-'));
  const clock = new ManualClock(new Date());
  const webhookSecret = 'whsec_contract_local';
  const payments = new LocalPayments({
    file: path.join(dir, 'payments.sqlite'),
    webhookSecret,
    toleranceSeconds: 300,
    clock,
    log: memoryLogger(),
  });
  const delivered: Signed[] = [];
  payments.attach({
    baseUrl: 'http://127.0.0.1:7071',
    deliver: async (payload, header) => void delivered.push({ payload, header }),
  });
  /** The delivery LocalPayments made of this event. */
  const deliveryOf = async (type: string, objectId: string) => {
    await payments.deliveriesSettled();
    const found = delivered.find((d) => {
      const e = eventSummary(d.payload);
      return e.type === type && e.objectId === objectId;
    });
    assert.ok(found, `no ${type} was delivered for ${objectId}`);
    return found;
  };
  return {
    payments,
    clock,
    webhookSecret,
    toleranceSeconds: 300,
    sessionUrl: /^http:\/\/127\.0\.0\.1:7071\/checkout\/cs_test_local_\w+$/,
    async pay(sessionId) {
      assert.equal((await payments.pay(sessionId)).kind, 'paid');
      return deliveryOf('checkout.session.completed', sessionId);
    },
    refundEvent: (refundId) => deliveryOf('refund.created', refundId),
    expiredEvent: (sessionId) => deliveryOf('checkout.session.expired', sessionId),
    async close() {
      await payments.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

paymentsContract('StripePayments on the Stripe double', async () => {
  const clock = new ManualClock(new Date());
  const stripe = await startStripeDouble({ clock });
  const payments = new StripePayments({
    secretKey: stripe.secretKey,
    webhookSecret: stripe.webhookSecret,
    toleranceSeconds: 300,
    apiUrl: stripe.url,
    clock,
  });
  return {
    payments,
    clock,
    webhookSecret: stripe.webhookSecret,
    toleranceSeconds: 300,
    sessionUrl: /^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_\w+$/,
    pay: async (sessionId) => stripe.completeSession(sessionId),
    refundEvent: async (refundId) => stripe.refundEvent(refundId, 'succeeded'),
    expiredEvent: async (sessionId) => stripe.expiredEvent(sessionId),
    async close() {
      await payments.close();
      await stripe.close();
    },
  };
});
