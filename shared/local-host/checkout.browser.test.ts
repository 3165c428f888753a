import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { LocalPayments } from '../payments/local-payments.js';
import { browserUnavailable, launchBrowser } from '../testing/browser.js';
import { aCheckoutRequest } from '../testing/payment-builders.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { registerTestPaymentsWebhook, TEST_WEBHOOK_PATH } from '../testing/test-payments-webhook.js';

const webhookEvents = registerTestPaymentsWebhook();
const skip = browserUnavailable();

/** The storefront the shopper returns to: a loopback server on an origin of its own. */
async function startStorefront() {
  const server = http.createServer((req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<h1>Storefront</h1><p id="path">${req.url}</p>`),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())).then(() => undefined),
  };
}

describe('the local checkout page in a browser', { skip }, () => {
  let host: TestHost;
  let browser: Browser;
  let storefront: Awaited<ReturnType<typeof startStorefront>>;
  let payments: LocalPayments;
  before(async () => {
    host = await startTestHost();
    storefront = await startStorefront();
    browser = await launchBrowser();
    assert.ok(host.platform.payments instanceof LocalPayments);
    payments = host.platform.payments;
    payments.attach({ baseUrl: host.url, webhookPath: TEST_WEBHOOK_PATH });
  });
  after(async () => {
    await browser?.close();
    await storefront?.close();
    await host?.close();
  });

  const newSession = (orderId: number) =>
    payments.createCheckoutSession(
      aCheckoutRequest(host.clock, {
        orderId,
        successUrl: `${storefront.url}/?status=Approved&success=true&orderId=${orderId}`,
        cancelUrl: `${storefront.url}/?status=Approved&canceled=true&orderId=${orderId}`,
      }),
      randomUUID(),
    );

  /** A page that records every Content-Security-Policy complaint Chromium makes. */
  const openPage = async (): Promise<{ page: Page; cspViolations: string[] }> => {
    const page = await browser.newPage();
    const cspViolations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    return { page, cspViolations };
  };

  it('shows the lines, the discount and the total, and Pay lands on the success URL after the webhook heard of it', async () => {
    const session = await newSession(7);
    const { page, cspViolations } = await openPage();
    await page.goto(session.url ?? '');

    const names = await page.locator('tr.line td.name').allTextContents();
    assert.deepEqual(names, ['Blue mug', 'Green tea']);
    assert.deepEqual(await page.locator('tr.line td.quantity').allTextContents(), ['2', '1']);
    assert.deepEqual(await page.locator('tr.line td.line-total').allTextContents(), ['$25.00', '$8.99']);
    assert.match((await page.locator('tr.discount').textContent()) ?? '', /Coupon SAVE5\s*−\$5\.00/);
    assert.match((await page.locator('tr.grand-total').textContent()) ?? '', /Total due \(AUD\)\s*\$28\.99/);
    assert.match((await page.locator('.expiry').textContent()) ?? '', /expires at .* UTC \(in 60 minutes\)/);

    await page.getByRole('button', { name: 'Pay $28.99' }).click();
    await page.waitForURL(`${storefront.url}/?status=Approved&success=true&orderId=7`);
    assert.equal(await page.locator('h1').textContent(), 'Storefront');

    const event = webhookEvents.find(
      (e) => e.type === 'checkout.session.completed' && e.session.id === session.id,
    );
    assert.ok(
      event && 'session' in event,
      'the webhook accepted a correctly signed checkout.session.completed',
    );
    assert.equal(event.session.paymentStatus, 'paid');
    assert.equal(event.session.orderId, 7);
    assert.deepEqual(cspViolations, []);

    await page.goto(session.url ?? '');
    assert.match((await page.locator('h1').textContent()) ?? '', /already paid/);
    assert.equal(await page.getByRole('button', { name: /Pay/ }).count(), 0);
    await page.close();
  });

  it('Cancel lands on the cancel URL and leaves the session open', async () => {
    const session = await newSession(8);
    const { page, cspViolations } = await openPage();
    await page.goto(session.url ?? '');
    await page.getByRole('button', { name: /Cancel/ }).click();
    await page.waitForURL(`${storefront.url}/?status=Approved&canceled=true&orderId=8`);
    assert.equal((await payments.retrieveCheckoutSession(session.id)).status, 'open');
    assert.deepEqual(cspViolations, []);
    await page.close();
  });

  it('is refused when reached under a foreign host name (DNS rebinding)', async () => {
    const session = await newSession(9);
    // The attacker's name resolves to this machine, so the browser sends it as the Host header.
    const rebound = await launchBrowser(['--host-resolver-rules=MAP shop.evil.example 127.0.0.1']);
    try {
      const page = await rebound.newPage();
      const response = await page.goto((session.url ?? '').replace('//127.0.0.1:', '//shop.evil.example:'));
      assert.equal(response?.status(), 403);
      assert.equal((await payments.retrieveCheckoutSession(session.id)).status, 'open');
    } finally {
      await rebound.close();
    }
  });
});
