import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { prepareDomains } from '../../../shared/functions/prepare.js';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import '../index.js';
import { tokens } from './coupons.builders.js';

let host: TestHost;
before(async () => {
  host = await startTestHost({ demo: true });
});
after(() => host.close());

describe('demo coupons', () => {
  it('are seeded once, however often the shop starts', async () => {
    await prepareDomains(host.platform, { demo: true });
    const res = await host.call('GET', '/api/coupon', { token: tokens(host).admin() });
    const codes = (res.body.data as { couponCode: string }[]).map((c) => c.couponCode).sort();
    assert.deepEqual(codes, ['BIG20', 'SAVE10', 'WELCOME15']);
  });
});
