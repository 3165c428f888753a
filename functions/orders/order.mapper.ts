import { toDecimal } from '../../shared/money.js';
import type { OrderHeaderDto } from './orders.schemas.js';
import type { OrderLineRow, OrderRow } from './orders.tables.js';

/** An order as the storefront shows it: decimal amounts, '' for absent strings, lines always an array. */
export function toOrderHeader(row: OrderRow, lines: OrderLineRow[]): OrderHeaderDto {
  return {
    orderHeaderId: row.id,
    userId: row.user_id,
    couponCode: row.coupon_code ?? '',
    discount: toDecimal(row.discount_minor),
    orderTotal: toDecimal(row.total_minor),
    name: row.customer_name,
    phone: row.customer_phone,
    email: row.customer_email,
    orderTime: row.created_at.toISOString(),
    status: row.status,
    paymentIntentId: row.payment_intent_id ?? '',
    stripeSessionId: row.checkout_session_id ?? '',
    orderDetails: lines
      .filter((line) => line.order_id === row.id)
      .map((line) => ({
        orderDetailsId: line.id,
        orderHeaderId: line.order_id,
        productId: line.product_id,
        productName: line.product_name,
        productImage: line.product_image,
        count: line.count,
        price: toDecimal(line.unit_price_minor),
      })),
    subtotal: toDecimal(row.subtotal_minor),
    currency: row.currency,
    paymentDueBy: row.expires_at.toISOString(),
  };
}
