// requests.http stays true: every request in it runs, in order, against a shop with the demo data.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import '../../functions/index.js';
import { startTestHost, type TestHost } from '../../shared/testing/test-host.js';
import { runHttpFile } from './http-file.js';

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'requests.http');

describe('requests.http', () => {
  let host: TestHost;
  before(async () => {
    host = await startTestHost({ demo: true });
  });
  after(() => host.close());

  it('walks the shopper and the admin through the shop without an error it does not allow', async () => {
    const answers = await runHttpFile(file, { api: `${host.url}/api`, local: host.url });
    const failed = answers
      .filter((a) => !a.ok)
      .map((a) => `${a.request.title}: ${a.status} ${JSON.stringify(a.body).slice(0, 200)}`);
    assert.deepEqual(failed, []);
    const titles = answers.map((a) => a.request.url);
    for (const route of [
      '/auth/login',
      '/cart/cartupsert',
      '/cart/applycoupon',
      '/order/createorder',
      '/order/createstripesession',
      '/pay',
      '/order/validatestripesession',
      '/order/getorderbystatus/',
      '/reward/',
      '/product',
    ])
      assert.ok(
        titles.some((t) => t.includes(route)),
        route,
      );
    const validated = answers.find((a) => a.request.url.endsWith('/order/validatestripesession'));
    assert.equal((validated?.body as { data?: { status?: string } }).data?.status, 'Approved');
  });
});
