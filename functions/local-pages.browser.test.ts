import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserUnavailable, launchBrowser } from '../shared/testing/browser.js';
import { startTestHost, type TestHost } from '../shared/testing/test-host.js';
import './index.js';

const skip = browserUnavailable();
let host: TestHost;
let browser: Browser;

describe('local pages in a browser', { skip }, () => {
  before(async () => {
    host = await startTestHost({ demo: true });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await host?.close();
  });

  it('the docs page renders every API group from the generated OpenAPI document, with no CDN', async () => {
    const page = await browser.newPage();
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(host.url) && !r.url().startsWith('data:')) outside.push(r.url());
    });
    await page.goto(`${host.url}/api/docs`);
    await page.waitForSelector('.opblock-tag', { timeout: 15_000 });
    const tags = await page.locator('.opblock-tag').allTextContents();
    for (const tag of ['auth', 'catalog', 'cart', 'coupons', 'operations']) {
      assert.ok(
        tags.some((t) => t.toLowerCase().includes(tag)),
        `docs list the ${tag} group`,
      );
    }
    assert.ok((await page.locator('.opblock').count()) > 20);
    assert.deepEqual(outside, [], 'every asset is served by the shop itself');
    await page.close();
  });

  it('the mailbox page lists a sent email and shows its body', async () => {
    await host.call('POST', '/api/auth/register', {
      json: { email: 'reader@example.com', password: 'Secret#123' },
    });
    await host.call('POST', '/api/auth/forgotpassword', { json: { email: 'reader@example.com' } });
    await host.settle();
    const page = await browser.newPage();
    await page.goto(`${host.url}/mailbox`);
    const link = page.getByRole('link', { name: /Reset your .* password/ });
    await link.click();
    await page.waitForURL(/\/mailbox\/.+/);
    assert.match((await page.locator('pre').textContent()) ?? '', /reset code is: \S+/);
    const frame = page.frameLocator('iframe');
    assert.equal(await frame.getByRole('link', { name: 'Choose a new password' }).count(), 1);
    await page.close();
  });

  it('the demo catalog’s generated photos load as images at their absolute URLs', async () => {
    const products = (await host.call('GET', '/api/product')).body.data as {
      data: { images: { url: string }[] }[];
    };
    const urls = products.data.map((p) => p.images[0]?.url ?? '');
    const page = await browser.newPage();
    await page.setContent(urls.map((u) => `<img src="${u}">`).join(''));
    await page.waitForLoadState('networkidle');
    const widths = await page
      .locator('img')
      .evaluateAll((imgs) => imgs.map((i) => (i as unknown as { naturalWidth: number }).naturalWidth));
    assert.ok(widths.length > 0 && widths.every((w) => w > 0), `every image decodes: ${widths.join(',')}`);
    await page.close();
  });
});
