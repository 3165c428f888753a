import { OrderRefundRequested } from '../../../shared/events/catalogue.js';
import type { ConsumerDefinition } from '../../../shared/events/consumer.js';
import type { EventData } from '../../../shared/events/define.js';
import type { Refund } from '../../../shared/payments/payments.js';
import { applyRefund } from '../order-transitions.js';
import { ordersDeps } from '../orders.deps.js';
import type { OrdersTables } from '../orders.tables.js';

/**
 * Refunds a payment at the provider. The request is keyed by the orders domain's refund row, so a
 * retry (a failure after the call, a redelivery) never refunds twice. What the provider answers is
 * applied like its webhook would be: a succeeded refund makes a cancelled order Refunded.
 */
export const refundPayment: ConsumerDefinition<
  EventData<typeof OrderRefundRequested>,
  OrdersTables,
  Refund
> = {
  name: 'orders-refund-payment',
  event: OrderRefundRequested,
  database: () => ordersDeps().database,
  effect: (request) =>
    ordersDeps().payments.refund(
      {
        paymentIntentId: request.paymentIntentId,
        amountMinor: request.amountMinor,
        orderId: request.orderId,
        reason: request.reason,
      },
      `order-${request.orderId}-refund-${request.refundRequestId}`,
    ),
  async handle(request, { trx, emit, now, log, effect: refund }) {
    log.info('refund requested at the payment provider', {
      orderId: request.orderId,
      refundId: refund.id,
      status: refund.status,
    });
    await applyRefund({ trx, emit, now, log }, refund);
  },
};
