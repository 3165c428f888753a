import type { Generated, Kysely, Selectable } from 'kysely';
import type { MessagingTables } from '../../shared/events/outbox.tables.js';
import type { CancelReason, OrderStatus } from './order-status.js';

/**
 * The orders domain's own database. Money is in integer minor units of the order's currency. An
 * order keeps a snapshot of what was bought (names, photos, unit prices) and of its customer's
 * contact, so later catalog or profile changes never rewrite history.
 */
export interface OrdersTable {
  id: Generated<number>;
  user_id: string;
  status: OrderStatus;
  currency: string;
  subtotal_minor: number;
  discount_minor: number;
  total_minor: number;
  /** Upper case, as the coupons domain stores it; null when none was used. */
  coupon_code: string | null;
  customer_name: string;
  customer_email: string;
  customer_phone: string;
  /** The client's Idempotency-Key (unique per user) and a hash of the lines it was sent with. */
  idempotency_key: string | null;
  request_hash: string | null;
  created_at: Date;
  updated_at: Date;
  /** End of the payment window: unpaid by then (plus a grace period), the order expires. */
  expires_at: Date;
  /**
   * When its stock and coupon use were held (OrderCreated). Until then the order is being placed:
   * it is not shown, cannot be paid, and is removed if placing it fails.
   */
  placed_at: Date | null;
  /** How many Checkout Sessions were started; keys the idempotency of the next one. */
  checkout_attempt: Generated<number>;
  checkout_session_id: string | null;
  checkout_url: string | null;
  checkout_expires_at: Date | null;
  checkout_success_url: string | null;
  checkout_cancel_url: string | null;
  payment_intent_id: string | null;
  paid_at: Date | null;
  cancelled_at: Date | null;
  cancel_reason: CancelReason | null;
  refunded_at: Date | null;
  /** Something an operator must look at (a failed refund, a payment that did not match). */
  is_flagged: Generated<boolean>;
  flag_reason: string | null;
}

/** One line per product (unique on order_id, product_id). */
export interface OrderLinesTable {
  id: Generated<number>;
  order_id: number;
  product_id: number;
  product_name: string;
  /** Absolute URL of the product's first photo when the order was placed. */
  product_image: string;
  count: number;
  unit_price_minor: number;
}

/** A Checkout Session the shop opened for an order. */
export interface CheckoutSessionsTable {
  id: Generated<number>;
  order_id: number;
  session_id: string;
  attempt: number;
  created_at: Date;
}

/** Serialises the placing of one customer's orders (see the migration). */
export interface OrderCustomersTable {
  user_id: string;
  updated_at: Date;
}

export type RefundKind = 'cancellation' | 'late_payment' | 'duplicate_payment';
export type RefundRequestStatus =
  'requested' | 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';

/** A payment to give back; one per payment (unique on payment_intent_id), so nothing is refunded twice. */
export interface PaymentRefundsTable {
  id: Generated<number>;
  order_id: number;
  payment_intent_id: string;
  amount_minor: number;
  currency: string;
  kind: RefundKind;
  status: RefundRequestStatus;
  stripe_refund_id: string | null;
  failure_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface OrdersTables extends MessagingTables {
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  checkout_sessions: CheckoutSessionsTable;
  order_customers: OrderCustomersTable;
  payment_refunds: PaymentRefundsTable;
}

/** The database or a transaction (a Transaction is a Kysely). */
export type OrdersDb = Kysely<OrdersTables>;
export type OrderRow = Selectable<OrdersTable>;
export type OrderLineRow = Selectable<OrderLinesTable>;
export type RefundRow = Selectable<PaymentRefundsTable>;
