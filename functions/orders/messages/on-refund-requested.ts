import { OrderRefundRequested } from '../../../shared/events/catalogue.js';
import type { ConsumerDefinition } from '../../../shared/events/consumer.js';
import type { EventData } from '../../../shared/events/define.js';
import type { Refund } from '../../../shared/payments/payments.js';
import { applyRefund, REFUND_FAILING } from '../order-transitions.js';
import { ordersDeps } from '../orders.deps.js';
import * as repo from '../orders.repository.js';
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
  async effect(request) {
    const deps = ordersDeps();
    try {
      return await deps.payments.refund(
        {
          paymentIntentId: request.paymentIntentId,
          amountMinor: request.amountMinor,
          orderId: request.orderId,
          requestId: request.refundRequestId,
          reason: request.reason,
        },
        request.idempotencyKey,
      );
    } catch (error) {
      // Retried by the bus, and dead-lettered if it keeps failing: until then an operator sees the
      // order flagged, with the reason, instead of a refund that silently never happens.
      const reason = `${REFUND_FAILING} ${request.paymentIntentId} failed: ${error instanceof Error ? error.message : String(error)}. It is retried; if it keeps failing its message is dead-lettered and must be replayed.`;
      const now = deps.clock.now();
      await repo.recordRefundFailure(deps.db, request.refundRequestId, reason, now);
      await repo.flagOrder(deps.db, request.orderId, reason, now);
      throw error;
    }
  },
  async handle(request, { trx, emit, now, log, effect: refund }) {
    log.info('refund requested at the payment provider', {
      orderId: request.orderId,
      refundId: refund.id,
      status: refund.status,
    });
    await applyRefund({ trx, emit, now, log }, refund);
  },
};
