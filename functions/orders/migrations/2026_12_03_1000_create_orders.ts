import { sql } from 'kysely';
import { columnTypes, oneOf, withIdColumn } from '../../../shared/db/columns.js';
import type { DomainMigration } from '../../../shared/db/migrations.js';

/** Orders, their lines and the refunds of their payments. */
export const createOrders: DomainMigration = {
  name: '2026_12_03_1000_create_orders',
  async up(db, dialect) {
    const t = columnTypes(dialect);
    const url = t.text(2000);
    const stripeId = t.text(255);

    await withIdColumn(db, db.schema.createTable('orders'))
      .addColumn('user_id', t.text(64), (c) => c.notNull())
      .addColumn('status', t.text(20), (c) => c.notNull())
      .addColumn('currency', t.text(3), (c) => c.notNull())
      .addColumn('subtotal_minor', 'integer', (c) => c.notNull())
      .addColumn('discount_minor', 'integer', (c) => c.notNull())
      .addColumn('total_minor', 'integer', (c) => c.notNull())
      .addColumn('coupon_code', t.text(30))
      .addColumn('customer_name', t.text(200), (c) => c.notNull())
      .addColumn('customer_email', t.text(254), (c) => c.notNull())
      .addColumn('customer_phone', t.text(50), (c) => c.notNull())
      .addColumn('idempotency_key', t.text(100))
      .addColumn('request_hash', t.text(64))
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .addColumn('updated_at', t.instant, (c) => c.notNull())
      .addColumn('expires_at', t.instant, (c) => c.notNull())
      .addColumn('placed_at', t.instant)
      .addColumn('checkout_attempt', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('checkout_session_id', stripeId)
      .addColumn('checkout_url', url)
      .addColumn('checkout_expires_at', t.instant)
      .addColumn('checkout_success_url', url)
      .addColumn('checkout_cancel_url', url)
      .addColumn('payment_intent_id', stripeId)
      .addColumn('paid_at', t.instant)
      .addColumn('cancelled_at', t.instant)
      .addColumn('cancel_reason', t.text(30))
      .addColumn('refunded_at', t.instant)
      .addColumn('is_flagged', t.bool, (c) => c.notNull().defaultTo(0))
      .addColumn('flag_reason', t.text(500))
      .addCheckConstraint(
        'ck_orders_status',
        oneOf('status', ['Pending', 'Approved', 'ReadyForPickup', 'Completed', 'Cancelled', 'Refunded']),
      )
      .addCheckConstraint(
        'ck_orders_amounts',
        sql`${sql.ref('subtotal_minor')} >= 0 and ${sql.ref('discount_minor')} >= 0 and ${sql.ref('discount_minor')} <= ${sql.ref('subtotal_minor')} and ${sql.ref('total_minor')} = ${sql.ref('subtotal_minor')} - ${sql.ref('discount_minor')}`,
      )
      .execute();
    // History: a user's orders newest first, optionally by status; ADMIN: all orders newest first
    // (the primary key) or by status.
    await db.schema.createIndex('ix_orders_user').on('orders').columns(['user_id', 'id']).execute();
    await db.schema
      .createIndex('ix_orders_user_status')
      .on('orders')
      .columns(['user_id', 'status', 'id'])
      .execute();
    await db.schema.createIndex('ix_orders_status').on('orders').columns(['status', 'id']).execute();
    // A retried create with the same Idempotency-Key finds the first order (and races lose here).
    await db.schema
      .createIndex('ux_orders_idempotency')
      .on('orders')
      .columns(['user_id', 'idempotency_key'])
      .unique()
      .where(sql.ref('idempotency_key'), 'is not', null)
      .execute();
    await db.schema
      .createIndex('ix_orders_payment_intent')
      .on('orders')
      .column('payment_intent_id')
      .where(sql.ref('payment_intent_id'), 'is not', null)
      .execute();

    await withIdColumn(db, db.schema.createTable('order_lines'))
      .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
      .addColumn('product_id', 'integer', (c) => c.notNull())
      .addColumn('product_name', t.text(200), (c) => c.notNull())
      .addColumn('product_image', url, (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('unit_price_minor', 'integer', (c) => c.notNull())
      .addCheckConstraint('ck_order_lines_count', sql`${sql.ref('count')} >= 1`)
      .addCheckConstraint('ck_order_lines_price', sql`${sql.ref('unit_price_minor')} >= 0`)
      .execute();
    await db.schema
      .createIndex('ux_order_lines_order_product')
      .on('order_lines')
      .columns(['order_id', 'product_id'])
      .unique()
      .execute();

    // Every Checkout Session opened for an order: a webhook acts only on a session the shop opened
    // for that very order (the order id in its metadata alone could be anyone's).
    await withIdColumn(db, db.schema.createTable('checkout_sessions'))
      .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
      .addColumn('session_id', stripeId, (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ux_checkout_sessions_session')
      .on('checkout_sessions')
      .column('session_id')
      .unique()
      .execute();

    // One row per customer who ever ordered: written first when an order is placed, so concurrent
    // orders of one customer queue up and the limit on unpaid orders holds.
    await db.schema
      .createTable('order_customers')
      .addColumn('user_id', t.text(64), (c) => c.notNull().primaryKey())
      .addColumn('updated_at', t.instant, (c) => c.notNull())
      .execute();

    await withIdColumn(db, db.schema.createTable('payment_refunds'))
      .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
      .addColumn('payment_intent_id', stripeId, (c) => c.notNull())
      .addColumn('amount_minor', 'integer', (c) => c.notNull())
      .addColumn('currency', t.text(3), (c) => c.notNull())
      .addColumn('kind', t.text(20), (c) => c.notNull())
      .addColumn('status', t.text(20), (c) => c.notNull())
      .addColumn('stripe_refund_id', stripeId)
      .addColumn('failure_reason', t.text(500))
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .addColumn('updated_at', t.instant, (c) => c.notNull())
      .addCheckConstraint('ck_payment_refunds_amount', sql`${sql.ref('amount_minor')} > 0`)
      .addCheckConstraint(
        'ck_payment_refunds_kind',
        oneOf('kind', ['cancellation', 'late_payment', 'duplicate_payment']),
      )
      .execute();
    await db.schema
      .createIndex('ux_payment_refunds_payment')
      .on('payment_refunds')
      .column('payment_intent_id')
      .unique()
      .execute();
    await db.schema
      .createIndex('ix_payment_refunds_order')
      .on('payment_refunds')
      .columns(['order_id', 'id'])
      .execute();
    await db.schema
      .createIndex('ix_payment_refunds_stripe')
      .on('payment_refunds')
      .column('stripe_refund_id')
      .where(sql.ref('stripe_refund_id'), 'is not', null)
      .execute();
  },
};
