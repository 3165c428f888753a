import type { ConsumerDefinition } from '../../../shared/events/consumer.js';
import type { EventData } from '../../../shared/events/define.js';
import { OrderCancelled } from '../../../shared/events/catalogue.js';
import { couponsDeps } from '../coupons.deps.js';
import type { CouponsTables } from '../coupons.tables.js';
import { releaseOrderRedemptions } from '../redemptions.service.js';

/** A cancelled (or expired) order gives its coupon use back, once. */
export const releaseRedemptionOnOrderCancelled: ConsumerDefinition<
  EventData<typeof OrderCancelled>,
  CouponsTables
> = {
  name: 'coupons-release-redemption',
  event: OrderCancelled,
  database: () => couponsDeps().database,
  async handle(order, { trx, log, now }) {
    const moved = await releaseOrderRedemptions(trx, order.orderId, now);
    if (moved > 0) log.info('coupon use given back', { orderId: order.orderId, reason: order.reason });
  },
};
