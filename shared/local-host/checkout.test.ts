import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { LocalPayments } from '../payments/local-payments.js';
import type { CheckoutRequest } from '../payments/payments.js';
import { aCheckoutRequest } from '../testing/payment-builders.js';
import { startStripeDouble, type StripeDouble } from '../testing/stripe-double.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { registerTestPaymentsWebhook, TEST_WEBHOOK_PATH } from '../testing/test-payments-webhook.js';

const webhookEvents = registerTestPaymentsWebhook();

/** A request with full control of the headers (fetch will not send a foreign Host). */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the local checkout, served by the local host', () => {
  let host: TestHost;
  let payments: LocalPayments;
  before(async () => {
    host = await startTestHost();
    assert.ok(host.platform.payments instanceof LocalPayments, 'no STRIPE_SECRET_KEY: payments are embedded');
    payments = host.platform.payments;
  });
  after(() => host.close());

  const newSession = async (overrides: Partial<CheckoutRequest> = {}) => {
    payments.attach({ baseUrl: host.url, webhookPath: TEST_WEBHOOK_PATH });
    return payments.createCheckoutSession(aCheckoutRequest(host.clock, overrides), randomUUID());
  };

  it('is where the local host tells sessions to send the shopper', async () => {
    const session = await newSession();
    assert.equal(session.url, `${host.url}/checkout/${session.id}`);
  });

  it('shows the order with a strict Content-Security-Policy that lets its forms reach the return URLs', async () => {
    const session = await newSession({
      successUrl: 'http://localhost:3000/?success=true',
      cancelUrl: 'http://127.0.0.1:3000/?canceled=true',
    });
    const page = await send(session.url ?? '');
    assert.equal(page.status, 200);
    assert.match(page.body, /Blue mug/);
    assert.match(page.body, /Coupon SAVE5/);
    assert.match(page.body, /\$28\.99/);
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /form-action 'self' http:\/\/localhost:3000 http:\/\/127\.0\.0\.1:3000;/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /script-src/);
  });

  it('escapes what the order contains', async () => {
    const session = await newSession({
      lines: [
        {
          name: '<script>alert(1)</script>',
          imageUrl: 'https://x.test/"onerror="x',
          unitAmountMinor: 900,
          quantity: 1,
        },
      ],
      discountMinor: 0,
    });
    const page = await send(session.url ?? '');
    assert.doesNotMatch(page.body, /<script>/);
    assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(page.body, /src="https:\/\/x\.test\/&quot;onerror=&quot;x"/);
  });

  it('pays: the webhook hears a signed checkout.session.completed, then the shopper goes to the success URL', async () => {
    const session = await newSession();
    const paid = await send(`${host.url}/checkout/${session.id}/pay`, { method: 'POST' });

    assert.equal(paid.status, 303);
    assert.equal(paid.headers.location, aCheckoutRequest(host.clock).successUrl);
    const event = webhookEvents.find(
      (e) => e.type === 'checkout.session.completed' && e.session.id === session.id,
    );
    assert.ok(event && 'session' in event, 'the webhook accepted the event before the redirect');
    assert.equal(event.session.paymentStatus, 'paid');
    assert.equal(event.session.orderId, 42);

    const again = await send(session.url ?? '');
    assert.match(again.body, /already paid/);
    assert.doesNotMatch(again.body, /\/pay"/);
  });

  it('cancels: back to the cancel URL, the session still open', async () => {
    const session = await newSession();
    const cancelled = await send(`${host.url}/checkout/${session.id}/cancel`, { method: 'POST' });
    assert.equal(cancelled.status, 303);
    assert.equal(cancelled.headers.location, aCheckoutRequest(host.clock).cancelUrl);
    assert.equal((await payments.retrieveCheckoutSession(session.id)).status, 'open');
  });

  it('answers an unknown session with a 404 page and a way back to the shop', async () => {
    const page = await send(`${host.url}/checkout/cs_test_local_nothing`);
    assert.equal(page.status, 404);
    assert.match(page.body, /no such checkout/);
    assert.match(page.body, new RegExp(`href="${host.platform.config.SHOP_URL}"`));
    assert.equal(
      (await send(`${host.url}/checkout/cs_test_local_nothing/pay`, { method: 'POST' })).status,
      404,
    );
  });

  it('accepts only POST for the actions', async () => {
    const session = await newSession();
    const res = await send(`${host.url}/checkout/${session.id}/pay`);
    assert.equal(res.status, 405);
    assert.equal((await payments.retrieveCheckoutSession(session.id)).status, 'open');
  });

  it('refuses the checkout and the mailbox to a foreign Host header (DNS rebinding)', async () => {
    const session = await newSession();
    const foreign = { host: `shop.evil.example:${new URL(host.url).port}` };
    assert.equal((await send(session.url ?? '', { headers: foreign })).status, 403);
    assert.equal(
      (await send(`${host.url}/checkout/${session.id}/pay`, { method: 'POST', headers: foreign })).status,
      403,
    );
    assert.equal((await send(`${host.url}/mailbox`, { headers: foreign })).status, 403);
    assert.equal((await send(`${host.url}/mailbox`, { headers: { host: 'localhost' } })).status, 200);
    assert.equal((await payments.retrieveCheckoutSession(session.id)).status, 'open');
  });

  it('refuses a Pay posted by another site', async () => {
    const session = await newSession();
    const res = await send(`${host.url}/checkout/${session.id}/pay`, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(res.status, 403);
    assert.equal((await payments.retrieveCheckoutSession(session.id)).status, 'open');
  });

  it('shows an expired session as expired, without a Pay button', async () => {
    const session = await newSession();
    host.clock.advance(61 * 60_000);
    const page = await send(session.url ?? '');
    assert.match(page.body, /has expired/);
    assert.doesNotMatch(page.body, /\/pay"/);
    const paid = await send(`${host.url}/checkout/${session.id}/pay`, { method: 'POST' });
    assert.equal(paid.status, 409);
  });
});

describe('the local checkout when Stripe is configured', () => {
  let stripe: StripeDouble;
  let host: TestHost;
  before(async () => {
    stripe = await startStripeDouble();
    host = await startTestHost({
      env: {
        STRIPE_SECRET_KEY: stripe.secretKey,
        STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
        STRIPE_API_URL: stripe.url,
      },
    });
  });
  after(async () => {
    await host.close();
    await stripe.close();
  });

  it('does not exist: Stripe hosts the payment page', async () => {
    assert.equal(host.platform.payments.kind, 'stripe');
    assert.equal((await send(`${host.url}/checkout/cs_test_anything`)).status, 404);
  });
});
