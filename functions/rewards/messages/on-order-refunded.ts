import { OrderRefunded } from '../../../shared/events/catalogue.js';
import type { ConsumerDefinition } from '../../../shared/events/consumer.js';
import type { EventData } from '../../../shared/events/define.js';
import { reversePoints } from '../ledger.service.js';
import { rewardsDeps } from '../rewards.deps.js';
import type { RewardsTables } from '../rewards.tables.js';

/** A refunded order gives its points back (once, whichever of refund or cancellation comes first). */
export const reversePointsOnOrderRefunded: ConsumerDefinition<
  EventData<typeof OrderRefunded>,
  RewardsTables
> = {
  name: 'rewards-reverse-on-refund',
  event: OrderRefunded,
  database: () => rewardsDeps().database,
  async handle(order, { trx, emit, now, log }) {
    await reversePoints({ trx, emit, now, log }, order);
  },
};
