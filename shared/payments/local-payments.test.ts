import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryLogger } from '../telemetry/logger.js';
import { aCheckoutRequest, eventSummary } from '../testing/payment-builders.js';
import { ManualClock, minutes } from '../time/clock.js';
import { LocalPayments, type LocalPaymentsOptions } from './local-payments.js';
import { localWebhookSecret } from './local-webhook-secret.js';

/** Behaviour of the embedded adapter beyond the port's contract: persistence, the page's actions, delivery. */
describe('LocalPayments', () => {
  let dir: string;
  let clock: ManualClock;
  let logger: ReturnType<typeof memoryLogger>;
  let delivered: { payload: string; header: string }[];
  let open: LocalPayments[];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-local-payments-'));
    clock = new ManualClock(new Date());
    logger = memoryLogger();
    delivered = [];
    open = [];
  });
  afterEach(async () => {
    await Promise.all(open.map((p) => p.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = (options: Partial<LocalPaymentsOptions> = {}, attach = true) => {
    const payments = new LocalPayments({
      file: path.join(dir, 'db', 'payments.sqlite'),
      webhookSecret: 'whsec_local_test',
      toleranceSeconds: 300,
      clock,
      log: logger,
      retryDelaysMs: [5, 5],
      ...options,
    });
    open.push(payments);
    if (attach)
      payments.attach({
        baseUrl: 'http://127.0.0.1:7071/',
        deliver: async (payload, header) => void delivered.push({ payload, header }),
      });
    return payments;
  };
  const typesDelivered = () => delivered.map((d) => eventSummary(d.payload).type);

  it('refuses to create a session before the local host is there to serve the page', async () => {
    const payments = start({}, false);
    await assert.rejects(
      payments.createCheckoutSession(aCheckoutRequest(clock), randomUUID()),
      /STRIPE_SECRET_KEY.*local host/,
    );
  });

  it('keeps sessions, payments and idempotency keys across a restart', async () => {
    const first = start();
    const key = randomUUID();
    const created = await first.createCheckoutSession(aCheckoutRequest(clock), key);
    await first.pay(created.id);
    await first.close();

    const second = start();
    const paid = await second.retrieveCheckoutSession(created.id);
    assert.equal(paid.status, 'complete');
    assert.equal(paid.paymentStatus, 'paid');
    assert.equal((await second.createCheckoutSession(aCheckoutRequest(clock), key)).id, created.id);
  });

  it('serves the page at the local host’s /checkout/<id>, and shows the order on it', async () => {
    const payments = start();
    const session = await payments.createCheckoutSession(aCheckoutRequest(clock), randomUUID());
    assert.equal(session.url, `http://127.0.0.1:7071/checkout/${session.id}`);
    const checkout = payments.checkout(session.id);
    assert.deepEqual(
      checkout && {
        lines: checkout.lines.map((l) => l.name),
        subtotal: checkout.subtotalMinor,
        discount: checkout.discountMinor,
        label: checkout.discountLabel,
      },
      { lines: ['Blue mug', 'Green tea'], subtotal: 3399, discount: 500, label: 'Coupon SAVE5' },
    );
    assert.equal(payments.checkout('cs_test_local_nope'), undefined);
  });

  it('reads a session past its expiry as expired, and tells the shop once when it sweeps', async () => {
    const payments = start();
    const session = await payments.createCheckoutSession(aCheckoutRequest(clock), randomUUID());
    clock.advance(minutes(61));

    const read = await payments.retrieveCheckoutSession(session.id);
    assert.equal(read.status, 'expired');
    assert.equal(read.url, null);
    assert.equal(payments.sweepExpired(), 1);
    assert.equal(payments.sweepExpired(), 0);
    await payments.deliveriesSettled();
    assert.deepEqual(typesDelivered(), ['checkout.session.expired']);
    assert.equal((await payments.pay(session.id)).kind, 'not-open');
  });

  it('pays a session once: a second Pay sends the shopper on without a second event', async () => {
    const payments = start();
    const session = await payments.createCheckoutSession(aCheckoutRequest(clock), randomUUID());
    const first = await payments.pay(session.id);
    const second = await payments.pay(session.id);
    await payments.deliveriesSettled();

    assert.equal(first.kind, 'paid');
    assert.equal(second.kind, 'paid');
    assert.deepEqual(typesDelivered(), ['checkout.session.completed']);
    assert.deepEqual(await payments.pay('cs_test_local_nope'), { kind: 'unknown' });
  });

  it('fills in {CHECKOUT_SESSION_ID} in the success URL, as Stripe does', async () => {
    const payments = start();
    const session = await payments.createCheckoutSession(
      aCheckoutRequest(clock, { successUrl: 'http://localhost:3000/done?session={CHECKOUT_SESSION_ID}' }),
      randomUUID(),
    );
    const paid = await payments.pay(session.id);
    assert.ok(paid.kind === 'paid');
    assert.equal(paid.checkout.successUrl, `http://localhost:3000/done?session=${session.id}`);
  });

  it('leaves the session open when the shopper cancels, and answers the cancel URL', async () => {
    const payments = start();
    const request = aCheckoutRequest(clock);
    const session = await payments.createCheckoutSession(request, randomUUID());
    assert.equal(payments.cancel(session.id), request.cancelUrl);
    assert.equal((await payments.retrieveCheckoutSession(session.id)).status, 'open');
    assert.equal(payments.cancel('cs_test_local_nope'), undefined);
  });

  it('retries a failing webhook, signing each attempt anew, and never fails the payment', async () => {
    const attempts: string[] = [];
    const payments = start();
    payments.attach({
      baseUrl: 'http://127.0.0.1:7071',
      deliver: async (_payload, header) => {
        attempts.push(header);
        clock.advance(1000);
        if (attempts.length < 3) throw new Error('the shop is restarting');
      },
    });
    const session = await payments.createCheckoutSession(aCheckoutRequest(clock), randomUUID());

    assert.equal((await payments.pay(session.id)).kind, 'paid');
    await payments.deliveriesSettled();
    assert.equal(attempts.length, 3);
    assert.equal(new Set(attempts).size, 3, 'each attempt has its own timestamp');
    const warnings = logger.lines.filter((l) => l.msg === 'payment webhook delivery failed; will retry');
    assert.equal(warnings.length, 2);
  });

  it('gives up after its retries and logs it', async () => {
    const payments = start();
    payments.attach({
      baseUrl: 'http://127.0.0.1:7071',
      deliver: async () => {
        throw new Error('nobody home');
      },
    });
    const session = await payments.createCheckoutSession(aCheckoutRequest(clock), randomUUID());
    assert.equal((await payments.pay(session.id)).kind, 'paid');
    await payments.deliveriesSettled();
    const gaveUp = logger.lines.filter((l) => l.msg === 'payment webhook delivery failed; giving up');
    assert.equal(gaveUp.length, 1);
    assert.equal(gaveUp[0]?.fields['attempt'], 3);
  });

  it('refunds in parts up to what was paid', async () => {
    const payments = start();
    const session = await payments.createCheckoutSession(aCheckoutRequest(clock), randomUUID());
    await payments.pay(session.id);
    const paymentIntentId = (await payments.retrieveCheckoutSession(session.id)).paymentIntentId ?? '';
    const refund = (amountMinor: number) =>
      payments.refund(
        { paymentIntentId, amountMinor, orderId: 42, requestId: 7, reason: 'requested_by_customer' },
        randomUUID(),
      );

    await refund(2000);
    await refund(899);
    await assert.rejects(refund(1), /greater than unrefunded amount on charge \(0\)/);
    await assert.rejects(
      payments.refund(
        { paymentIntentId: 'pi_local_nope', amountMinor: 1, orderId: 42, requestId: 7, reason: 'duplicate' },
        randomUUID(),
      ),
      /No such payment_intent/,
    );
  });
});

describe('localWebhookSecret', () => {
  it('is generated once into DATA_DIR/keys and kept', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-webhook-secret-'));
    try {
      const secret = localWebhookSecret(dataDir);
      assert.match(secret, /^whsec_[A-Za-z0-9_-]{40,}$/);
      assert.equal(localWebhookSecret(dataDir), secret);
      const file = path.join(dataDir, 'keys', 'stripe-webhook-secret');
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
