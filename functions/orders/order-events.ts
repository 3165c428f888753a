import type { EventData } from '../../shared/events/define.js';
import type { OrderCancelled, OrderPaid } from '../../shared/events/catalogue.js';
import type { OrderLineRow, OrderRow } from './orders.tables.js';

/** The payloads of the events an order emits, from its rows. */

const customerOf = (order: OrderRow) => ({
  orderId: order.id,
  userId: order.user_id,
  email: order.customer_email,
  name: order.customer_name,
  currency: order.currency,
});

export const eventLines = (lines: OrderLineRow[]) =>
  lines.map((line) => ({
    productId: line.product_id,
    name: line.product_name,
    imageUrl: line.product_image,
    count: line.count,
    unitPriceMinor: line.unit_price_minor,
    lineTotalMinor: line.unit_price_minor * line.count,
  }));

export function orderSummary(order: OrderRow, lines: OrderLineRow[]) {
  return {
    ...customerOf(order),
    lines: eventLines(lines),
    subtotalMinor: order.subtotal_minor,
    discountMinor: order.discount_minor,
    totalMinor: order.total_minor,
    couponCode: order.coupon_code ?? '',
  };
}

export function paidEvent(
  order: OrderRow,
  lines: OrderLineRow[],
  paymentIntentId: string | null,
  paidAt: Date,
): EventData<typeof OrderPaid> {
  return {
    ...orderSummary(order, lines),
    paymentIntentId: paymentIntentId ?? '',
    paidAt: paidAt.toISOString(),
  };
}

export function cancelledEvent(
  order: OrderRow,
  lines: OrderLineRow[],
  reason: EventData<typeof OrderCancelled>['reason'],
  wasPaid: boolean,
): EventData<typeof OrderCancelled> {
  return {
    ...customerOf(order),
    totalMinor: order.total_minor,
    wasPaid,
    reason,
    lines: lines.map((line) => ({ productId: line.product_id, count: line.count })),
  };
}

export function refundedEvent(order: OrderRow, amountMinor: number, refundId: string) {
  return { ...customerOf(order), amountMinor, refundId };
}
