import { randomUUID } from 'node:crypto';
import type { OrderCancelled, OrderPaid, OrderRefunded } from '../../../shared/events/catalogue.js';
import type { EventData, EventDefinition } from '../../../shared/events/define.js';
import { unitOfWork } from '../../../shared/events/unit-of-work.js';
import type { TestHost } from '../../../shared/testing/test-host.js';
import type { RewardsDto } from '../rewards.schemas.js';
import type { RewardsTables } from '../rewards.tables.js';

/** Test data for rewards: customers with tokens, and the order events the ledger reacts to. */

export interface Member {
  userId: string;
  email: string;
  token: string;
}

export function aMember(host: TestHost, roles = ['CUSTOMER']): Member {
  const userId = randomUUID();
  const email = `${userId.slice(0, 8)}@shop.test`;
  return {
    userId,
    email,
    token: host.mintToken({ sub: userId, sid: randomUUID(), email, roles }),
  };
}

let nextOrderId = 5000;
export const anOrderId = () => ++nextOrderId;

const customer = (member: Member, orderId: number) => ({
  orderId,
  userId: member.userId,
  email: member.email,
  name: 'Member',
  currency: 'AUD',
});

export function anOrderPaid(
  member: Member,
  orderId: number,
  totalMinor: number,
): EventData<typeof OrderPaid> {
  return {
    ...customer(member, orderId),
    lines: [
      {
        productId: 1,
        name: 'Product',
        imageUrl: 'http://shop.test/media/1.png',
        count: 1,
        unitPriceMinor: totalMinor,
        lineTotalMinor: totalMinor,
      },
    ],
    subtotalMinor: totalMinor,
    discountMinor: 0,
    totalMinor,
    couponCode: '',
    paymentIntentId: `pi_${orderId}`,
    paidAt: new Date().toISOString(),
  };
}

export function anOrderRefunded(
  member: Member,
  orderId: number,
  amountMinor: number,
): EventData<typeof OrderRefunded> {
  return { ...customer(member, orderId), amountMinor, refundId: `re_${orderId}` };
}

export function anOrderCancelledAfterPayment(
  member: Member,
  orderId: number,
  totalMinor: number,
): EventData<typeof OrderCancelled> {
  return {
    ...customer(member, orderId),
    totalMinor,
    wasPaid: true,
    reason: 'customer',
    lines: [{ productId: 1, count: 1 }],
  };
}

/** Publishes an event as its producer would (through an outbox) and delivers it to every consumer. */
export async function publish<T>(host: TestHost, definition: EventDefinition<T>, data: T): Promise<void> {
  const database = host.platform.database<RewardsTables>('rewards');
  await unitOfWork(database, host.platform.relay, host.clock)((_trx, emit) => emit(definition, data));
  await host.settle();
}

export async function rewardsOf(host: TestHost, member: Member): Promise<RewardsDto> {
  const res = await host.call('GET', `/api/reward/${member.userId}`, { token: member.token });
  if (res.status !== 200) throw new Error(`GET reward failed: ${res.text}`);
  return res.body.data as RewardsDto;
}
