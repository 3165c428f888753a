import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserUnavailable, launchBrowser } from '../../../shared/testing/browser.js';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import '../../index.js';
import { Catalog } from '../../cart/tests/cart.builders.js';
import type { Product } from '../../catalog/catalog.client.js';
import { aCustomer, type Customer } from './orders.builders.js';

const skip = browserUnavailable();

/**
 * A stand-in for the storefront's checkout path, doing what the real one does (storefront-api.md,
 * Orders): it upserts the cart, posts the cart to createorder while removing the cart lines, sends
 * the browser to stripeSessionUrl with return URLs built from its own origin, and on the way back
 * calls validatestripesession twice at once (React's development double effect) and renders the
 * order history from getorderbystatus.
 */
function storefrontPage(api: string, customer: Customer, product: Product): string {
  const config = JSON.stringify({
    api,
    token: customer.token,
    userId: customer.userId,
    productId: product.id,
  });
  return `<!doctype html><html><body><h1>Storefront</h1><div id="status">loading</div><ul id="history"></ul>
<script>
const { api, token, userId, productId } = ${config};
const call = async (method, path, body) => {
  const res = await fetch(api + path, {
    method,
    headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
};
const show = (text) => (document.getElementById('status').textContent = text);
(async () => {
  const params = new URLSearchParams(location.search);
  if (!params.has('orderId')) {
    const cart = await call('POST', '/api/cart/cartupsert', {
      cartHeader: { userId, cartHeaderId: 0 },
      cartDetails: [{ productId, count: 2, product: { id: productId, price: 0.01 } }],
    });
    const lines = cart.body.data.cartDetails;
    const [order] = await Promise.all([
      call('POST', '/api/order/createorder', { cartHeader: cart.body.data.cartHeader, cartDetails: lines }),
      ...lines.map((l) => call('POST', '/api/cart/removecart', [l.cartDetailsId])),
    ]);
    if (order.status !== 201) return show('createorder failed: ' + order.body.message);
    const id = order.body.data.orderHeaderId;
    const session = await call('POST', '/api/order/createstripesession', {
      approvedUrl: location.origin + '/?status=Approved&success=true&orderId=' + id,
      cancelUrl: location.origin + '/?status=Cancelled&canceled=true&orderId=' + id,
      orderHeader: order.body.data,
    });
    if (session.status !== 200) return show('createstripesession failed: ' + session.body.message);
    location.href = session.body.data.stripeSessionUrl;
    return;
  }
  const orderId = Number(params.get('orderId'));
  if (params.has('success')) {
    const answers = await Promise.all([1, 2].map(() => call('POST', '/api/order/validatestripesession', orderId)));
    if (answers.some((a) => a.status !== 200)) return show('validate failed');
  } else {
    await call('POST', '/api/order/updateorderstatus/' + orderId, 'Cancelled');
  }
  const history = await call('GET', '/api/order/getorderbystatus/' + userId + '/All');
  for (const o of history.body.data) {
    const li = document.createElement('li');
    li.dataset.order = o.orderHeaderId;
    li.dataset.status = o.status;
    li.textContent = o.status + ': ' + o.orderDetails.map((d) => d.count + ' x ' + d.productName + ' @ ' + d.price).join(', ');
    const img = document.createElement('img');
    img.src = o.orderDetails[0].productImage;
    li.append(img);
    document.getElementById('history').append(li);
  }
  show('Order placed!');
})();
</script></body></html>`;
}

async function startStorefront(page: () => string) {
  const server = http.createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page()),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('the storefront’s whole checkout path in Chromium, with the local checkout page', { skip }, () => {
  let host: TestHost;
  let browser: Browser;
  let customer: Customer;
  let product: Product;
  let storefront: Awaited<ReturnType<typeof startStorefront>>;

  before(async () => {
    host = await startTestHost();
    browser = await launchBrowser();
    product = await new Catalog(host).product({ name: 'Teapot', price: '24.50', quantity: 5 });
    customer = await aCustomer(host, 'Grace');
    storefront = await startStorefront(() => storefrontPage(host.url, customer, product));
  });
  after(async () => {
    await browser?.close();
    await storefront?.close();
    await host?.close();
  });

  it('cart -> createorder -> createstripesession -> Pay -> validatestripesession -> history shows it Approved', async () => {
    const page = await browser.newPage();
    await page.goto(storefront.url);
    await page.waitForURL(/\/checkout\/cs_/);
    assert.match((await page.locator('body').textContent()) ?? '', /Teapot/);
    assert.match((await page.locator('tr.grand-total').textContent()) ?? '', /\$49\.00/);

    await page.getByRole('button', { name: /Pay/ }).click();
    await page.waitForURL(/\?status=Approved&success=true&orderId=\d+/);
    await page.locator('#status', { hasText: 'Order placed!' }).waitFor();

    const entry = page.locator('#history li').first();
    assert.equal(await entry.getAttribute('data-status'), 'Approved');
    assert.equal(await entry.textContent(), 'Approved: 2 x Teapot @ 24.5');
    const imageLoaded = await entry.locator('img').evaluate((element) => {
      // Runs in the page; the project compiles without the DOM's types. decode() waits for the
      // image to arrive (it may still be loading when the line is shown) and fails if it cannot.
      const img = element as unknown as { naturalWidth: number; decode(): Promise<void> };
      return img.decode().then(
        () => img.naturalWidth > 0,
        () => false,
      );
    });
    assert.ok(imageLoaded, 'the order line’s photo is an absolute URL the browser can load');

    await host.settle();
    const after = await new Catalog(host).get(product.id);
    assert.deepEqual([after.quantity, after.sold], [3, 2]);
    await page.close();
  });

  it('Cancel on the payment page comes back to the storefront, which cancels the order and gets its stock back', async () => {
    const page = await browser.newPage();
    await page.goto(storefront.url);
    await page.waitForURL(/\/checkout\/cs_/);
    await page.getByRole('button', { name: /Cancel/ }).click();
    await page.waitForURL(/canceled=true/);
    await page.locator('#status', { hasText: 'Order placed!' }).waitFor();

    assert.equal(await page.locator('#history li').first().getAttribute('data-status'), 'Cancelled');
    await host.settle();
    assert.equal((await new Catalog(host).get(product.id)).quantity, 3);
    await page.close();
  });
});
