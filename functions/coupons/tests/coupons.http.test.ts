import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import { days } from '../../../shared/time/clock.js';
import '../index.js';
import { reserveCouponRedemption } from '../coupons.client.js';
import { aCoupon, createCouponViaApi, tokens } from './coupons.builders.js';

let host: TestHost;
let admin: string;
let customer: string;

before(async () => {
  host = await startTestHost();
  admin = tokens(host).admin();
  customer = tokens(host).customer();
});
after(() => host.close());

describe('POST /api/coupon', () => {
  it('creates a coupon from the storefront admin’s legacy fields, as a fixed active coupon', async () => {
    const res = await host.call('POST', '/api/coupon', {
      json: { couponId: 0, couponCode: 'legacy10', discountAmount: 10, minAmount: 20 },
      token: admin,
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.isSuccess, true);
    const coupon = res.body.data as Record<string, unknown>;
    assert.equal(typeof coupon['couponId'], 'number');
    assert.deepEqual(
      { ...coupon, couponId: 0 },
      {
        couponId: 0,
        couponCode: 'LEGACY10',
        discountType: 'fixed',
        discountAmount: 10,
        minAmount: 20,
        maxDiscount: null,
        startsAt: null,
        endsAt: null,
        usageLimit: null,
        perCustomerLimit: null,
        timesUsed: 0,
        active: true,
        ownerUserId: null,
      },
    );
  });

  it('creates a percent coupon with every new field', async () => {
    const startsAt = new Date('2026-12-01T00:00:00.000Z');
    const endsAt = new Date('2027-01-01T00:00:00.000Z');
    const body = aCoupon('XMAS')
      .percent(12.5)
      .withMinAmount(50)
      .withMaxDiscount(30)
      .validBetween(startsAt, endsAt)
      .withUsageLimit(100)
      .withPerCustomerLimit(1)
      .build();
    const res = await host.call('POST', '/api/coupon', { json: body, token: admin });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.data, {
      couponId: (res.body.data as { couponId: number }).couponId,
      couponCode: 'XMAS',
      discountType: 'percent',
      discountAmount: 12.5,
      minAmount: 50,
      maxDiscount: 30,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      usageLimit: 100,
      perCustomerLimit: 1,
      timesUsed: 0,
      active: true,
      ownerUserId: null,
    });
  });

  it('refuses a code that exists in another case (409)', async () => {
    await createCouponViaApi(host, aCoupon('Twice').build());
    const res = await host.call('POST', '/api/coupon', { json: aCoupon('tWICE').build(), token: admin });
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'conflict');
    assert.equal(res.body.type, 'couponCode');
    assert.match(res.body.message, /TWICE already exists/);
  });

  const invalid: [string, Record<string, unknown>, RegExp][] = [
    ['a missing code', { discountAmount: 10 }, /couponCode/],
    ['a code with spaces', { couponCode: 'TEN OFF', discountAmount: 10 }, /couponCode may contain only/],
    ['a negative amount', { couponCode: 'NEG', discountAmount: -5 }, /discountAmount/],
    ['a zero amount', { couponCode: 'ZERO', discountAmount: 0 }, /discountAmount/],
    ['three decimals', { couponCode: 'DEC', discountAmount: 1.005 }, /discountAmount/],
    [
      'an unknown discount type',
      { couponCode: 'T', discountAmount: 1, discountType: 'bogus' },
      /discountType/,
    ],
    [
      'a percentage above 100',
      { couponCode: 'P', discountAmount: 100.01, discountType: 'percent' },
      /at most 100/,
    ],
    [
      'an end before the start',
      {
        couponCode: 'W',
        discountAmount: 1,
        startsAt: '2026-02-01T00:00:00Z',
        endsAt: '2026-01-01T00:00:00Z',
      },
      /endsAt/,
    ],
    [
      'a date without a zone',
      { couponCode: 'Z', discountAmount: 1, endsAt: '2026-02-01T00:00:00' },
      /endsAt/,
    ],
    [
      'a start before the year 2000 (outside what the database holds)',
      { couponCode: 'Y', discountAmount: 1, startsAt: '0001-01-01T00:00:00Z' },
      /startsAt must be between the years 2000 and 9999/,
    ],
    [
      'an end past the year 9999 in UTC',
      { couponCode: 'Y', discountAmount: 1, endsAt: '9999-12-31T23:00:00-05:00' },
      /endsAt must be between the years 2000 and 9999/,
    ],
    ['a usage limit of 0', { couponCode: 'U', discountAmount: 1, usageLimit: 0 }, /usageLimit/],
    ['a usage limit given as text', { couponCode: 'U', discountAmount: 1, usageLimit: '5' }, /usageLimit/],
    ['active given as text', { couponCode: 'A', discountAmount: 1, active: 'yes' }, /active/],
  ];
  for (const [name, body, message] of invalid) {
    it(`refuses ${name} with 400`, async () => {
      const res = await host.call('POST', '/api/coupon', { json: body, token: admin });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.isSuccess, false);
      assert.match(res.body.message, message);
    });
  }

  it('refuses an array body with 400, not 500', async () => {
    const res = await host.call('POST', '/api/coupon', { json: [1, 2], token: admin });
    assert.equal(res.status, 400);
  });

  it('is for ADMINs only: 401 without a token, 403 for a customer', async () => {
    assert.equal((await host.call('POST', '/api/coupon', { json: aCoupon().build() })).status, 401);
    assert.equal(
      (await host.call('POST', '/api/coupon', { json: aCoupon().build(), token: customer })).status,
      403,
    );
  });
});

describe('PUT /api/coupon', () => {
  it('updates the fields sent and keeps the others', async () => {
    const created = await createCouponViaApi(
      host,
      aCoupon().percent(10).withUsageLimit(5).withMaxDiscount(8).build(),
    );
    const res = await host.call('PUT', '/api/coupon', {
      json: {
        couponId: created.couponId,
        couponCode: 'renamed-' + created.couponId,
        minAmount: 25,
        maxDiscount: null,
      },
      token: admin,
    });
    assert.equal(res.status, 200, res.text);
    const coupon = res.body.data as Record<string, unknown>;
    assert.equal(coupon['couponCode'], `RENAMED-${created.couponId}`);
    assert.equal(coupon['minAmount'], 25);
    assert.equal(coupon['maxDiscount'], null);
    assert.equal(coupon['discountType'], 'percent');
    assert.equal(coupon['discountAmount'], 10);
    assert.equal(coupon['usageLimit'], 5);
  });

  it('deactivates a coupon, which then no longer shows to shoppers', async () => {
    const created = await createCouponViaApi(host, aCoupon().build());
    const res = await host.call('PUT', '/api/coupon', {
      json: { couponId: created.couponId, active: false },
      token: admin,
    });
    assert.equal(res.status, 200);
    assert.equal((res.body.data as { active: boolean }).active, false);
    const lookUp = await host.call('GET', `/api/coupon/getbycode/${String(created['couponCode'])}`, {
      token: customer,
    });
    assert.equal(lookUp.status, 404);
  });

  it('checks rules across old and new fields (a percent above 100 after switching type)', async () => {
    const created = await createCouponViaApi(host, aCoupon().fixed(150).build());
    const res = await host.call('PUT', '/api/coupon', {
      json: { couponId: created.couponId, discountType: 'percent' },
      token: admin,
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.type, 'discountAmount');
  });

  it('refuses taking another coupon’s code (409) and an unknown id (404)', async () => {
    const a = await createCouponViaApi(host, aCoupon().build());
    const b = await createCouponViaApi(host, aCoupon().build());
    const taken = await host.call('PUT', '/api/coupon', {
      json: { couponId: b.couponId, couponCode: String(a['couponCode']).toLowerCase() },
      token: admin,
    });
    assert.equal(taken.status, 409);
    const missing = await host.call('PUT', '/api/coupon', {
      json: { couponId: 999999, minAmount: 1 },
      token: admin,
    });
    assert.equal(missing.status, 404);
  });

  it('requires couponId', async () => {
    const res = await host.call('PUT', '/api/coupon', { json: { minAmount: 1 }, token: admin });
    assert.equal(res.status, 400);
    assert.match(res.body.message, /couponId/);
  });
});

describe('GET /api/coupon and /api/coupon/{id}', () => {
  it('lists coupons newest first and gets one by id', async () => {
    const created = await createCouponViaApi(host, aCoupon().build());
    const list = await host.call('GET', '/api/coupon', { token: admin });
    assert.equal(list.status, 200);
    const coupons = list.body.data as { couponId: number }[];
    assert.ok(Array.isArray(coupons));
    assert.equal(coupons[0]?.couponId, created.couponId);
    const one = await host.call('GET', `/api/Coupon/${created.couponId}`, { token: admin });
    assert.equal(one.status, 200);
    assert.equal((one.body.data as { couponId: number }).couponId, created.couponId);
  });

  it('pages the list when asked', async () => {
    await createCouponViaApi(host, aCoupon().build());
    await createCouponViaApi(host, aCoupon().build());
    const res = await host.call('GET', '/api/coupon?pageIndex=2&pageSize=1', { token: admin });
    assert.equal(res.status, 200);
    assert.equal((res.body.data as unknown[]).length, 1);
    const bad = await host.call('GET', '/api/coupon?pageSize=0', { token: admin });
    assert.equal(bad.status, 400);
  });

  it('answers 404 for an unknown id and 400 for an id that is not a number', async () => {
    assert.equal((await host.call('GET', '/api/coupon/999999', { token: admin })).status, 404);
    assert.equal((await host.call('GET', '/api/coupon/abc', { token: admin })).status, 400);
    assert.equal((await host.call('GET', '/api/coupon/-1', { token: admin })).status, 400);
  });

  it('is for ADMINs only', async () => {
    assert.equal((await host.call('GET', '/api/coupon', { token: customer })).status, 403);
    assert.equal((await host.call('GET', '/api/coupon/1', { token: customer })).status, 403);
    assert.equal((await host.call('GET', '/api/coupon')).status, 401);
  });
});

describe('GET /api/coupon/getbycode/{code}', () => {
  it('finds a coupon whatever the case, for any signed-in user', async () => {
    await createCouponViaApi(host, aCoupon('Summer-Sale').percent(20).build());
    for (const code of ['SUMMER-SALE', 'summer-sale', 'SuMmEr-SaLe', '%20summer-sale%20']) {
      const res = await host.call('GET', `/api/coupon/getbycode/${code}`, { token: customer });
      assert.equal(res.status, 200, `${code}: ${res.text}`);
      assert.equal((res.body.data as { couponCode: string }).couponCode, 'SUMMER-SALE');
    }
  });

  it('answers 404 with a clear message for an unknown code', async () => {
    const res = await host.call('GET', '/api/coupon/getbycode/NOPE', { token: customer });
    assert.equal(res.status, 404);
    assert.equal(res.body.message, 'There is no coupon with the code NOPE.');
  });

  it('needs a token (401)', async () => {
    assert.equal((await host.call('GET', '/api/coupon/getbycode/ANY')).status, 401);
  });
});

describe('DELETE /api/coupon/{id}', () => {
  it('deletes a coupon nobody redeemed', async () => {
    const created = await createCouponViaApi(host, aCoupon().build());
    const res = await host.call('DELETE', `/api/coupon/${created.couponId}`, { token: admin });
    assert.equal(res.status, 200);
    assert.equal(res.body.message, 'Coupon deleted.');
    assert.equal((await host.call('GET', `/api/coupon/${created.couponId}`, { token: admin })).status, 404);
    assert.equal(
      (await host.call('DELETE', `/api/coupon/${created.couponId}`, { token: admin })).status,
      404,
    );
  });

  it('archives a redeemed coupon: hidden, kept for its orders, and its code free again', async () => {
    const code = `KEPT${Date.now()}`;
    const created = await createCouponViaApi(host, aCoupon(code).build());
    await reserveCouponRedemption({
      couponCode: code,
      orderId: 4242,
      userId: randomUUID(),
      amountMinor: 50_00,
    });
    const res = await host.call('DELETE', `/api/coupon/${created.couponId}`, { token: admin });
    assert.equal(res.status, 200);
    assert.match(res.body.message, /archived/);
    assert.equal((await host.call('GET', `/api/coupon/${created.couponId}`, { token: admin })).status, 404);
    const row = await host.platform
      .database<{ coupons: { id: number; is_deleted: boolean } }>('coupons')
      .db.selectFrom('coupons')
      .selectAll()
      .where('id', '=', created.couponId)
      .executeTakeFirst();
    assert.equal(row?.is_deleted, true);
    const again = await createCouponViaApi(host, aCoupon(code).build());
    assert.notEqual(again.couponId, created.couponId);
  });

  it('is for ADMINs only', async () => {
    assert.equal((await host.call('DELETE', '/api/coupon/1', { token: customer })).status, 403);
  });
});

describe('time', () => {
  it('reports the window as UTC instants', async () => {
    const endsAt = new Date(host.clock.now().getTime() + days(1));
    const created = await createCouponViaApi(
      host,
      aCoupon()
        .with({ endsAt: endsAt.toISOString().replace('Z', '+00:00') })
        .build(),
    );
    assert.equal(created['endsAt'], endsAt.toISOString());
  });
});
