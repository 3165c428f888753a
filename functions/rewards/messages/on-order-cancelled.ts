import { OrderCancelled } from '../../../shared/events/catalogue.js';
import type { ConsumerDefinition } from '../../../shared/events/consumer.js';
import type { EventData } from '../../../shared/events/define.js';
import { reversePoints } from '../ledger.service.js';
import { rewardsDeps } from '../rewards.deps.js';
import type { RewardsTables } from '../rewards.tables.js';

/** An order cancelled after it was paid gives its points back at once (its refund follows). */
export const reversePointsOnOrderCancelled: ConsumerDefinition<
  EventData<typeof OrderCancelled>,
  RewardsTables
> = {
  name: 'rewards-reverse-on-cancel',
  event: OrderCancelled,
  database: () => rewardsDeps().database,
  async handle(order, { trx, emit, now, log }) {
    if (order.wasPaid) await reversePoints({ trx, emit, now, log }, order);
  },
};
