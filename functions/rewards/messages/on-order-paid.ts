import { OrderPaid } from '../../../shared/events/catalogue.js';
import type { ConsumerDefinition } from '../../../shared/events/consumer.js';
import type { EventData } from '../../../shared/events/define.js';
import { grantPoints, pointsFor } from '../ledger.service.js';
import { rewardsDeps } from '../rewards.deps.js';
import type { RewardsTables } from '../rewards.tables.js';

/** A paid order earns points: its paid total times the rate, rounded down, once per order. */
export const grantPointsOnOrderPaid: ConsumerDefinition<EventData<typeof OrderPaid>, RewardsTables> = {
  name: 'rewards-grant-points',
  event: OrderPaid,
  database: () => rewardsDeps().database,
  async handle(order, { trx, emit, now, log }) {
    const points = pointsFor(order.totalMinor, rewardsDeps().settings.pointsPerUnit);
    await grantPoints({ trx, emit, now, log }, order, points);
  },
};
