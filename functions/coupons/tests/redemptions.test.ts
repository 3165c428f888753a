import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../../shared/http/errors.js';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import { days } from '../../../shared/time/clock.js';
import '../index.js';
import {
  commitCouponRedemptions,
  getOrderCouponRedemptions,
  priceCouponForCustomer,
  releaseCouponRedemptions,
  reserveCouponRedemption,
} from '../coupons.client.js';
import type { CouponsTables } from '../coupons.tables.js';
import { aCoupon, createCouponViaApi } from './coupons.builders.js';

let host: TestHost;
let nextOrderId = 1000;
const newOrderId = () => ++nextOrderId;

before(async () => {
  host = await startTestHost();
});
after(() => host.close());

const db = () => host.platform.database<CouponsTables>('coupons').db;

async function couponState(couponId: number) {
  const coupon = await db()
    .selectFrom('coupons')
    .selectAll()
    .where('id', '=', couponId)
    .executeTakeFirstOrThrow();
  const redemptions = await db()
    .selectFrom('coupon_redemptions')
    .selectAll()
    .where('coupon_id', '=', couponId)
    .execute();
  const usage = await db()
    .selectFrom('coupon_customer_usage')
    .selectAll()
    .where('coupon_id', '=', couponId)
    .execute();
  return {
    timesUsed: coupon.times_used,
    redemptions,
    usage: new Map(usage.map((u) => [u.user_id, u.times_used])),
  };
}

const isAppError = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;

describe('reserve, commit, release', () => {
  it('reserves a use with the discount priced now, and a repeat changes nothing', async () => {
    const coupon = await createCouponViaApi(host, aCoupon('RESERVE1').percent(10).build());
    const userId = randomUUID();
    const orderId = newOrderId();
    const first = await reserveCouponRedemption({
      couponCode: 'reserve1',
      orderId,
      userId,
      amountMinor: 123_45,
    });
    assert.deepEqual(first, {
      couponId: coupon.couponId,
      couponCode: 'RESERVE1',
      orderId,
      userId,
      status: 'reserved',
      discountMinor: 12_35,
    });
    const again = await reserveCouponRedemption({
      couponCode: 'RESERVE1',
      orderId,
      userId,
      amountMinor: 999_99,
    });
    assert.deepEqual(again, first);
    const state = await couponState(coupon.couponId);
    assert.equal(state.timesUsed, 1);
    assert.equal(state.redemptions.length, 1);
    assert.equal(state.usage.get(userId), 1);
  });

  it('commits on payment; a repeat is a no-op', async () => {
    const coupon = await createCouponViaApi(host, aCoupon().withUsageLimit(3).build());
    const orderId = newOrderId();
    await reserveCouponRedemption({
      couponCode: String(coupon['couponCode']),
      orderId,
      userId: 'u1',
      amountMinor: 50_00,
    });
    const committed = await commitCouponRedemptions(orderId);
    assert.equal(committed[0]?.status, 'committed');
    assert.deepEqual(await commitCouponRedemptions(orderId), committed);
    const state = await couponState(coupon.couponId);
    assert.equal(state.timesUsed, 1);
    assert.ok(state.redemptions[0]?.committed_at instanceof Date);
  });

  it('releases on cancel or expiry, giving the use back once', async () => {
    const coupon = await createCouponViaApi(
      host,
      aCoupon().withUsageLimit(1).withPerCustomerLimit(1).build(),
    );
    const code = String(coupon['couponCode']);
    const orderId = newOrderId();
    await reserveCouponRedemption({ couponCode: code, orderId, userId: 'u2', amountMinor: 50_00 });
    assert.equal((await couponState(coupon.couponId)).timesUsed, 1);

    const released = await releaseCouponRedemptions(orderId);
    assert.equal(released[0]?.status, 'released');
    await releaseCouponRedemptions(orderId);
    const state = await couponState(coupon.couponId);
    assert.equal(state.timesUsed, 0);
    assert.equal(state.usage.get('u2'), 0);

    // The same customer may use it again on another order, and re-reserving the cancelled order does nothing.
    await reserveCouponRedemption({
      couponCode: code,
      orderId: newOrderId(),
      userId: 'u2',
      amountMinor: 50_00,
    });
    assert.equal(
      (await reserveCouponRedemption({ couponCode: code, orderId, userId: 'u2', amountMinor: 50_00 })).status,
      'released',
    );
    assert.equal((await couponState(coupon.couponId)).timesUsed, 1);
  });

  it('releases a paid order that is cancelled later', async () => {
    const coupon = await createCouponViaApi(host, aCoupon().build());
    const orderId = newOrderId();
    await reserveCouponRedemption({
      couponCode: String(coupon['couponCode']),
      orderId,
      userId: 'u3',
      amountMinor: 50_00,
    });
    await commitCouponRedemptions(orderId);
    await releaseCouponRedemptions(orderId);
    assert.equal((await couponState(coupon.couponId)).timesUsed, 0);
  });

  it('keeps a released redemption released when the order’s payment is committed late (orders refunds it)', async () => {
    const coupon = await createCouponViaApi(host, aCoupon().withUsageLimit(1).build());
    const code = String(coupon['couponCode']);
    const late = newOrderId();
    await reserveCouponRedemption({ couponCode: code, orderId: late, userId: 'u4', amountMinor: 50_00 });
    await releaseCouponRedemptions(late);
    await reserveCouponRedemption({
      couponCode: code,
      orderId: newOrderId(),
      userId: 'u5',
      amountMinor: 50_00,
    });
    const committed = await commitCouponRedemptions(late);
    assert.equal(committed[0]?.status, 'released');
    const state = await couponState(coupon.couponId);
    assert.equal(state.timesUsed, 1, 'only the other order holds the single use');
    assert.equal(state.usage.get('u4'), 0);
  });

  it('treats an order without a coupon as nothing to do', async () => {
    assert.deepEqual(await commitCouponRedemptions(987654), []);
    assert.deepEqual(await releaseCouponRedemptions(987654), []);
    assert.deepEqual(await getOrderCouponRedemptions(987654), []);
  });
});

describe('refusals', () => {
  it('refuses an unknown code (not_found) and writes nothing', async () => {
    await assert.rejects(
      reserveCouponRedemption({ couponCode: 'NOSUCH', orderId: newOrderId(), userId: 'u', amountMinor: 1 }),
      isAppError('not_found'),
    );
  });

  it('refuses a coupon that does not apply (conflict), with the reason, and writes nothing', async () => {
    const coupon = await createCouponViaApi(
      host,
      aCoupon()
        .withMinAmount(50)
        .validBetween(null, new Date(host.clock.now().getTime() + days(1)))
        .build(),
    );
    const code = String(coupon['couponCode']);
    await assert.rejects(
      reserveCouponRedemption({ couponCode: code, orderId: newOrderId(), userId: 'u', amountMinor: 49_99 }),
      (error: unknown) => isAppError('conflict')(error) && /at least 50.00/.test((error as Error).message),
    );
    host.clock.advance(days(1));
    await assert.rejects(
      reserveCouponRedemption({ couponCode: code, orderId: newOrderId(), userId: 'u', amountMinor: 60_00 }),
      (error: unknown) => isAppError('conflict')(error) && /expired/.test((error as Error).message),
    );
    const state = await couponState(coupon.couponId);
    assert.equal(state.timesUsed, 0);
    assert.equal(state.redemptions.length, 0);
  });
});

describe('races', () => {
  it('two orders racing for the last use: exactly one gets it', async () => {
    const coupon = await createCouponViaApi(host, aCoupon().withUsageLimit(1).build());
    const code = String(coupon['couponCode']);
    const outcomes = await Promise.allSettled([
      reserveCouponRedemption({
        couponCode: code,
        orderId: newOrderId(),
        userId: 'racer-a',
        amountMinor: 50_00,
      }),
      reserveCouponRedemption({
        couponCode: code,
        orderId: newOrderId(),
        userId: 'racer-b',
        amountMinor: 50_00,
      }),
    ]);
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    const rejected = outcomes.find((o) => o.status === 'rejected');
    assert.ok(rejected && isAppError('conflict')(rejected.reason));
    assert.match((rejected.reason as Error).message, /fully used/);
    const state = await couponState(coupon.couponId);
    assert.equal(state.timesUsed, 1);
    assert.equal(state.redemptions.length, 1);
  });

  it('twelve orders racing for three uses: exactly three get one', async () => {
    const coupon = await createCouponViaApi(host, aCoupon().withUsageLimit(3).build());
    const code = String(coupon['couponCode']);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        reserveCouponRedemption({
          couponCode: code,
          orderId: newOrderId(),
          userId: `many-${i}`,
          amountMinor: 50_00,
        }),
      ),
    );
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 3);
    assert.equal((await couponState(coupon.couponId)).timesUsed, 3);
  });

  it('one customer racing five orders past a per-customer limit of one: exactly one gets it', async () => {
    const coupon = await createCouponViaApi(host, aCoupon().withPerCustomerLimit(1).build());
    const code = String(coupon['couponCode']);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        reserveCouponRedemption({
          couponCode: code,
          orderId: newOrderId(),
          userId: 'greedy',
          amountMinor: 50_00,
        }),
      ),
    );
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    const state = await couponState(coupon.couponId);
    assert.equal(state.timesUsed, 1);
    assert.equal(state.usage.get('greedy'), 1);
  });

  it('the same order reserving twice at once gets one reservation', async () => {
    const coupon = await createCouponViaApi(host, aCoupon().build());
    const orderId = newOrderId();
    const input = { couponCode: String(coupon['couponCode']), orderId, userId: 'twice', amountMinor: 50_00 };
    const [a, b] = await Promise.all([reserveCouponRedemption(input), reserveCouponRedemption(input)]);
    assert.deepEqual(a, b);
    assert.equal((await couponState(coupon.couponId)).timesUsed, 1);
  });

  it('enforces the limit in the UPDATE itself, checked by rows affected', async () => {
    const coupon = await createCouponViaApi(host, aCoupon().withUsageLimit(2).build());
    const statements: string[] = [];
    const stop = host.platform.database('coupons').onQuery((q) => statements.push(q.sql));
    try {
      await reserveCouponRedemption({
        couponCode: String(coupon['couponCode']),
        orderId: newOrderId(),
        userId: 'sql',
        amountMinor: 50_00,
      });
    } finally {
      stop();
    }
    assert.ok(
      statements.some((s) =>
        /^update "coupons" set "times_used" = "times_used" \+ \?.*"times_used" < "usage_limit"/.test(s),
      ),
      statements.join('\n'),
    );
  });
});

describe('pricing through the client', () => {
  it('counts the customer’s own uses', async () => {
    const coupon = await createCouponViaApi(host, aCoupon().withPerCustomerLimit(1).build());
    const code = String(coupon['couponCode']);
    assert.equal((await priceCouponForCustomer(code, 50_00, 'me')).applies, true);
    await reserveCouponRedemption({
      couponCode: code,
      orderId: newOrderId(),
      userId: 'me',
      amountMinor: 50_00,
    });
    const quote = await priceCouponForCustomer(code.toLowerCase(), 50_00, 'me');
    assert.equal(quote.reason, 'customer_limit_reached');
    assert.equal((await priceCouponForCustomer(code, 50_00, 'someone-else')).discountMinor, 10_00);
  });

  it('reports an unknown code as not applying', async () => {
    const quote = await priceCouponForCustomer('missing', 50_00, 'me');
    assert.deepEqual(quote, {
      couponCode: 'MISSING',
      applies: false,
      discountMinor: 0,
      reason: 'not_found',
      message: 'Coupon MISSING does not exist.',
    });
  });
});
