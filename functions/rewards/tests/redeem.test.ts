import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OrderPaid } from '../../../shared/events/catalogue.js';
import { AppError } from '../../../shared/http/errors.js';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import { minutes } from '../../../shared/time/clock.js';
import '../../index.js';
import { aCartUpsert, Catalog } from '../../cart/tests/cart.builders.js';
import type { CartDto } from '../../cart/cart.schemas.js';
import { rewardsDeps, type PersonalCoupons } from '../rewards.deps.js';
import type { RedemptionDto } from '../rewards.schemas.js';
import type { RewardsTables } from '../rewards.tables.js';
import { aMember, anOrderId, anOrderPaid, publish, rewardsOf, type Member } from './rewards.builders.js';

let host: TestHost;

before(async () => {
  host = await startTestHost({ env: { REWARD_POINT_VALUE_MINOR: '5', REWARD_COUPON_DAYS: '30' } });
});
after(() => host.close());

const redeem = (member: Member, body: unknown) =>
  host.call('POST', '/api/reward/redeem', { json: body, token: member.token });

async function aMemberWith(points: number): Promise<Member> {
  const member = aMember(host);
  await publish(host, OrderPaid, anOrderPaid(member, anOrderId(), points * 100));
  assert.equal((await rewardsOf(host, member)).balance, points);
  return member;
}

const redemptions = (member: Member) =>
  host.platform
    .database<RewardsTables>('rewards')
    .db.selectFrom('reward_redemptions')
    .selectAll()
    .where('user_id', '=', member.userId)
    .execute();

/** Swaps the coupons port for the length of a test. */
async function withCoupons<T>(coupons: Partial<PersonalCoupons>, work: () => Promise<T>): Promise<T> {
  const deps = rewardsDeps(host.platform);
  const real = deps.coupons;
  deps.coupons = { ...real, ...coupons };
  try {
    return await work();
  } finally {
    deps.coupons = real;
  }
}

describe('POST /api/reward/redeem', () => {
  it('turns points into a single-use coupon for the member, at the configured rate and lifetime', async () => {
    const member = await aMemberWith(300);
    const res = await redeem(member, { points: 200 });

    assert.equal(res.status, 201, res.text);
    const coupon = res.body.data as RedemptionDto;
    assert.deepEqual(
      {
        discountType: coupon.discountType,
        discountAmount: coupon.discountAmount,
        usageLimit: coupon.usageLimit,
        ownerUserId: coupon.ownerUserId,
        points: coupon.points,
        balance: coupon.balance,
      },
      {
        discountType: 'fixed',
        discountAmount: 10,
        usageLimit: 1,
        ownerUserId: member.userId,
        points: 200,
        balance: 100,
      },
    );
    assert.equal(new Date(coupon.endsAt ?? '').getTime(), host.clock.now().getTime() + minutes(30 * 24 * 60));
    const rewards = await rewardsOf(host, member);
    assert.deepEqual(
      rewards.entries.map((e) => [e.type, e.points]),
      [
        ['redeemed', -200],
        ['earned', 300],
      ],
    );
    const [row] = await redemptions(member);
    assert.deepEqual([row?.status, row?.coupon_code], ['confirmed', coupon.couponCode]);
  });

  it('gives a coupon the member can apply to their cart, and nobody else can (400)', async () => {
    const member = await aMemberWith(500);
    const coupon = (await redeem(member, { points: 400 })).body.data as RedemptionDto;
    const product = await new Catalog(host).product({ price: '50.00' });
    const other = aMember(host);
    for (const shopper of [member, other]) {
      await host.call('POST', '/api/cart/cartupsert', {
        json: aCartUpsert(shopper.userId).line(product, 1).build(),
        token: shopper.token,
      });
    }
    const apply = (shopper: Member) =>
      host.call('POST', '/api/cart/applycoupon', {
        json: { cartHeader: { userId: shopper.userId, couponCode: coupon.couponCode } },
        token: shopper.token,
      });

    const mine = await apply(member);
    assert.equal(mine.status, 200, mine.text);
    assert.deepEqual(
      [(mine.body.data as CartDto).cartHeader.discount, (mine.body.data as CartDto).cartHeader.cartTotal],
      [20, 30],
    );
    const theirs = await apply(other);
    assert.equal(theirs.status, 400);
    assert.match(theirs.body.message, /can only be used by the customer it was issued to/);
  });

  it('refuses more points than the balance (409) and changes nothing', async () => {
    const member = await aMemberWith(50);
    const res = await redeem(member, { points: 51 });
    assert.equal(res.status, 409);
    assert.match(res.body.message, /You have 50 points/);
    assert.equal((await rewardsOf(host, member)).balance, 50);
    assert.deepEqual(await redemptions(member), []);
  });

  it('refuses points that are not a positive whole number (400)', async () => {
    const member = await aMemberWith(10);
    for (const body of [{ points: 0 }, { points: -5 }, { points: 1.5 }, { points: '5' }, {}, 5, null]) {
      const res = await redeem(member, body);
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
    }
    assert.equal((await rewardsOf(host, member)).balance, 10);
  });

  it('never overdraws the balance under 20 concurrent redeems: each success is debited once', async () => {
    const member = await aMemberWith(100);
    const results = await Promise.all(Array.from({ length: 20 }, () => redeem(member, { points: 30 })));
    const ok = results.filter((r) => r.status === 201);
    assert.equal(ok.length, 3, results.map((r) => `${r.status} ${r.body.message}`).join('\n'));
    assert.ok(results.every((r) => r.status === 201 || r.status === 409));
    assert.equal((await rewardsOf(host, member)).balance, 10);
    assert.equal(new Set(ok.map((r) => (r.body.data as RedemptionDto).couponCode)).size, 3);
    const rows = await redemptions(member);
    assert.deepEqual(
      rows.map((r) => r.status),
      ['confirmed', 'confirmed', 'confirmed'],
    );
  });

  it('returns the points when the coupon cannot be issued', async () => {
    const member = await aMemberWith(100);
    const res = await withCoupons(
      {
        issue: async () => {
          throw new AppError('conflict', 'Coupons are being maintained; try again later.');
        },
      },
      () => redeem(member, { points: 60 }),
    );
    assert.equal(res.status, 409);
    assert.equal((await rewardsOf(host, member)).balance, 100);
    const [row] = await redemptions(member);
    assert.equal(row?.status, 'released');
    await host.settle();
    host.clock.advance(minutes(3));
    await host.settle();
    assert.equal((await rewardsOf(host, member)).balance, 100, 'the scheduled check finds nothing to do');
  });

  it('finishes a redemption left half-done (coupons unreachable) from its scheduled check, with its coupon', async () => {
    const member = await aMemberWith(100);
    const res = await withCoupons(
      {
        issue: async () => {
          throw new Error('connection reset');
        },
        withdraw: async () => {
          throw new Error('connection reset');
        },
      },
      () => redeem(member, { points: 40 }),
    );
    assert.equal(res.status, 500);
    let [row] = await redemptions(member);
    assert.equal(row?.status, 'reserved');
    assert.equal((await rewardsOf(host, member)).balance, 60, 'the points stay reserved meanwhile');

    host.clock.advance(minutes(2));
    await host.settle();
    [row] = await redemptions(member);
    assert.equal(row?.status, 'confirmed');
    assert.match(row?.coupon_code ?? '', /^RW-/);
    assert.equal((await rewardsOf(host, member)).balance, 60);
    const outbox = await host.platform
      .database<RewardsTables>('rewards')
      .db.selectFrom('outbox')
      .select('body')
      .where('event_name', '=', 'RewardRedeemed')
      .execute();
    assert.ok(
      outbox.some(
        (r) => (JSON.parse(r.body) as { data: { redemptionId: number } }).data.redemptionId === row?.id,
      ),
    );
  });
});
