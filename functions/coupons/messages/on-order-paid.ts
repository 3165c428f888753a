import type { ConsumerDefinition } from '../../../shared/events/consumer.js';
import type { EventData } from '../../../shared/events/define.js';
import { OrderPaid } from '../../../shared/events/catalogue.js';
import { couponsDeps } from '../coupons.deps.js';
import type { CouponsTables } from '../coupons.tables.js';
import { commitOrderRedemptions } from '../redemptions.service.js';

/** A paid order's coupon use becomes final: it counts once, whatever the number of deliveries. */
export const commitRedemptionOnOrderPaid: ConsumerDefinition<EventData<typeof OrderPaid>, CouponsTables> = {
  name: 'coupons-commit-redemption',
  event: OrderPaid,
  database: () => couponsDeps().database,
  async handle(order, { trx, log, now }) {
    const moved = await commitOrderRedemptions(trx, order.orderId, now);
    if (moved > 0) log.info('coupon use committed', { orderId: order.orderId, couponCode: order.couponCode });
  },
};
