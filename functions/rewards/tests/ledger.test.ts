import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OrderCancelled, OrderPaid, OrderRefunded } from '../../../shared/events/catalogue.js';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import '../../index.js';
import { pointsFor } from '../ledger.service.js';
import type { RewardsTables } from '../rewards.tables.js';
import {
  aMember,
  anOrderCancelledAfterPayment,
  anOrderId,
  anOrderPaid,
  anOrderRefunded,
  publish,
  rewardsOf,
} from './rewards.builders.js';

let host: TestHost;

before(async () => {
  host = await startTestHost();
});
after(() => host.close());

const outboxNames = async () =>
  (
    await host.platform
      .database<RewardsTables>('rewards')
      .db.selectFrom('outbox')
      .select('event_name')
      .execute()
  ).map((r) => r.event_name);

describe('pointsFor', () => {
  it('gives the rate per whole currency unit paid, rounded down', () => {
    assert.equal(pointsFor(49_99, 1), 49);
    assert.equal(pointsFor(50_00, 1), 50);
    assert.equal(pointsFor(1_99, 3), 5);
    assert.equal(pointsFor(99, 1), 0);
    assert.equal(pointsFor(0, 1), 0);
    assert.equal(pointsFor(100_00, 0), 0, 'a rate of 0 turns earning off');
  });
});

describe('the points ledger', () => {
  it('grants points for a paid order, once however often the event comes', async () => {
    const member = aMember(host);
    const orderId = anOrderId();
    const before = (await outboxNames()).filter((n) => n === 'RewardGranted').length;
    for (let i = 0; i < 3; i++) await publish(host, OrderPaid, anOrderPaid(member, orderId, 123_45));

    const rewards = await rewardsOf(host, member);
    assert.equal(rewards.balance, 123);
    assert.deepEqual(
      rewards.entries.map((e) => [e.type, e.orderId, e.points]),
      [['earned', orderId, 123]],
    );
    assert.equal((await outboxNames()).filter((n) => n === 'RewardGranted').length, before + 1);
  });

  it('takes the points of a refunded order back, once, whether the refund or the cancellation says so', async () => {
    const member = aMember(host);
    const orderId = anOrderId();
    await publish(host, OrderPaid, anOrderPaid(member, orderId, 80_00));
    await publish(host, OrderCancelled, anOrderCancelledAfterPayment(member, orderId, 80_00));
    await publish(host, OrderRefunded, anOrderRefunded(member, orderId, 80_00));

    const rewards = await rewardsOf(host, member);
    assert.equal(rewards.balance, 0);
    assert.deepEqual(
      rewards.entries.map((e) => [e.type, e.points]),
      [
        ['reversed', -80],
        ['earned', 80],
      ],
    );
  });

  it('never goes below zero: what the balance cannot cover is owed, and settled from the next points earned', async () => {
    const member = aMember(host);
    const [first, second, third] = [anOrderId(), anOrderId(), anOrderId()];
    await publish(host, OrderPaid, anOrderPaid(member, first, 100_00));
    // The customer spends 70 of those points on a coupon...
    const redeemed = await host.call('POST', '/api/reward/redeem', {
      json: { points: 70 },
      token: member.token,
    });
    assert.equal(redeemed.status, 201, redeemed.text);
    // ...then the order is refunded: only 30 are left to take back.
    await publish(host, OrderRefunded, anOrderRefunded(member, first, 100_00));
    let rewards = await rewardsOf(host, member);
    assert.deepEqual([rewards.balance, rewards.owed], [0, 70]);
    assert.deepEqual(
      [rewards.entries[0]?.type, rewards.entries[0]?.points, rewards.entries[0]?.owedChange],
      ['reversed', -100, 70],
    );

    await publish(host, OrderPaid, anOrderPaid(member, second, 50_00));
    rewards = await rewardsOf(host, member);
    assert.deepEqual([rewards.balance, rewards.owed], [0, 20]);
    await publish(host, OrderPaid, anOrderPaid(member, third, 50_00));
    rewards = await rewardsOf(host, member);
    assert.deepEqual([rewards.balance, rewards.owed], [30, 0]);
  });

  it('grants nothing for an order whose reversal arrived first (events out of order)', async () => {
    const member = aMember(host);
    const orderId = anOrderId();
    await publish(host, OrderRefunded, anOrderRefunded(member, orderId, 60_00));
    await publish(host, OrderPaid, anOrderPaid(member, orderId, 60_00));
    const rewards = await rewardsOf(host, member);
    assert.equal(rewards.balance, 0);
    assert.deepEqual(
      rewards.entries.map((e) => [e.type, e.points]),
      [['reversed', 0]],
    );
  });

  it('ignores a cancellation of an order that was never paid', async () => {
    const member = aMember(host);
    const orderId = anOrderId();
    await publish(host, OrderCancelled, {
      ...anOrderCancelledAfterPayment(member, orderId, 10_00),
      wasPaid: false,
    });
    assert.deepEqual((await rewardsOf(host, member)).entries, []);
  });
});

describe('GET /api/reward/{userId}', () => {
  it('answers a member’s own points; an ADMIN may read anyone’s, another member may not (403)', async () => {
    const member = aMember(host);
    await publish(host, OrderPaid, anOrderPaid(member, anOrderId(), 12_00));
    const other = aMember(host);
    const foreign = await host.call('GET', `/api/reward/${member.userId}`, { token: other.token });
    assert.equal(foreign.status, 403);
    const admin = aMember(host, ['ADMIN']);
    const res = await host.call('GET', `/api/reward/${member.userId}`, { token: admin.token });
    assert.equal((res.body.data as { balance: number }).balance, 12);
  });

  it('answers a zero balance for a member with no points yet', async () => {
    const member = aMember(host);
    assert.deepEqual(await rewardsOf(host, member), { balance: 0, owed: 0, entries: [] });
  });
});
