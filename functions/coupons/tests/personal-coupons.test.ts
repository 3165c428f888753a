import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import { days } from '../../../shared/time/clock.js';
import '../index.js';
import '../../catalog/index.js';
import '../../cart/index.js';
import { aCartUpsert, aShopper, Catalog } from '../../cart/tests/cart.builders.js';
import { issuePersonalCoupon, priceCouponForCustomer, withdrawPersonalCoupon } from '../coupons.client.js';

let host: TestHost;

before(async () => {
  host = await startTestHost();
});
after(() => host.close());

const aRequest = (ownerUserId: string = randomUUID()) => ({
  ownerUserId,
  amountMinor: 5_00,
  expiresAt: new Date(host.clock.now().getTime() + days(90)),
  sourceKey: `reward-redemption-${randomUUID()}`,
});

describe('personal coupons', () => {
  it('issues a single-use fixed coupon for one customer, usable on an order of at least its value', async () => {
    const request = aRequest();
    const coupon = await issuePersonalCoupon(request);
    assert.match(coupon.couponCode, /^RW-[0-9A-HJKMNP-TV-Z]{10}$/);
    assert.deepEqual(
      {
        discountType: coupon.discountType,
        discountAmount: coupon.discountAmount,
        minAmount: coupon.minAmount,
        usageLimit: coupon.usageLimit,
        perCustomerLimit: coupon.perCustomerLimit,
        ownerUserId: coupon.ownerUserId,
        endsAt: coupon.endsAt,
      },
      {
        discountType: 'fixed',
        discountAmount: 5,
        minAmount: 5,
        usageLimit: 1,
        perCustomerLimit: 1,
        ownerUserId: request.ownerUserId,
        endsAt: request.expiresAt.toISOString(),
      },
    );
  });

  it('gives the same coupon for the same source key, even asked for at once', async () => {
    const request = aRequest();
    const coupons = await Promise.all([1, 2, 3].map(() => issuePersonalCoupon(request)));
    assert.equal(new Set(coupons.map((c) => c.couponId)).size, 1);
  });

  it('applies for its owner only', async () => {
    const request = aRequest();
    const coupon = await issuePersonalCoupon(request);
    const mine = await priceCouponForCustomer(coupon.couponCode, 20_00, request.ownerUserId);
    assert.deepEqual([mine.applies, mine.discountMinor], [true, 5_00]);
    const theirs = await priceCouponForCustomer(coupon.couponCode, 20_00, randomUUID());
    assert.deepEqual([theirs.applies, theirs.reason], [false, 'not_yours']);
    assert.match(theirs.message, /can only be used by the customer it was issued to/);
  });

  it('is refused by applycoupon for another customer (400) and not found by their getbycode', async () => {
    const owner = aShopper(host);
    const other = aShopper(host);
    const coupon = await issuePersonalCoupon(aRequest(owner.userId));
    const product = await new Catalog(host).product({ price: '30.00' });
    await host.call('POST', '/api/cart/cartupsert', {
      json: aCartUpsert(other.userId).line(product, 1).build(),
      token: other.token,
    });

    const res = await host.call('POST', '/api/cart/applycoupon', {
      json: { cartHeader: { userId: other.userId, couponCode: coupon.couponCode } },
      token: other.token,
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.type, 'couponCode');
    const lookup = await host.call('GET', `/api/coupon/getbycode/${coupon.couponCode}`, {
      token: other.token,
    });
    assert.equal(lookup.status, 404);
    const own = await host.call('GET', `/api/coupon/getbycode/${coupon.couponCode}`, { token: owner.token });
    assert.equal(own.status, 200);
  });

  it('withdraws an unused personal coupon, and a withdrawn one no longer applies', async () => {
    const request = aRequest();
    const coupon = await issuePersonalCoupon(request);
    assert.equal(await withdrawPersonalCoupon(request.sourceKey), true);
    const quote = await priceCouponForCustomer(coupon.couponCode, 20_00, request.ownerUserId);
    assert.equal(quote.applies, false);
    assert.equal(
      await withdrawPersonalCoupon(`reward-redemption-${randomUUID()}`),
      true,
      'nothing to withdraw',
    );
  });
});
