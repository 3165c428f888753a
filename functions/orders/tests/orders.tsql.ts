import type { Kysely } from 'kysely';
import * as repo from '../orders.repository.js';
import type { OrdersDb } from '../orders.tables.js';

/**
 * For the T-SQL check: calls every function of orders.repository.ts once against a compile-only
 * MSSQL Kysely (DummyDriver), so each query's T-SQL is recorded. Returns the names called.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function exercise(anyDb: Kysely<any>): Promise<string[]> {
  const db = anyDb as OrdersDb;
  const called: string[] = [];
  const at = new Date('2026-12-03T12:00:00.000Z');
  const run = async (name: keyof typeof repo, call: () => Promise<unknown>) => {
    called.push(name);
    try {
      await call();
    } catch {
      // A DummyDriver returns no rows: "returning the new id" has nothing to read.
    }
  };
  await run('insertOrder', () =>
    repo.insertOrder(db, {
      user_id: 'user-1',
      status: 'Pending',
      currency: 'AUD',
      subtotal_minor: 100_00,
      discount_minor: 10_00,
      total_minor: 90_00,
      coupon_code: 'SAVE10',
      customer_name: 'Ada',
      customer_email: 'ada@shop.test',
      customer_phone: '',
      idempotency_key: 'key-1',
      request_hash: 'abc',
      created_at: at,
      updated_at: at,
      expires_at: at,
      placed_at: null,
      checkout_session_id: null,
      checkout_url: null,
      checkout_expires_at: null,
      checkout_success_url: null,
      checkout_cancel_url: null,
      payment_intent_id: null,
      paid_at: null,
      cancelled_at: null,
      cancel_reason: null,
      refunded_at: null,
      flag_reason: null,
    }),
  );
  await run('insertOrderLines', () =>
    repo.insertOrderLines(db, [
      {
        order_id: 1,
        product_id: 2,
        product_name: 'Mug',
        product_image: 'https://x/y.png',
        count: 2,
        unit_price_minor: 5_00,
      },
    ]),
  );
  await run('deleteUnplacedOrder', () => repo.deleteUnplacedOrder(db, 1));
  await run('findOrder', () => repo.findOrder(db, 1));
  await run('findOrderByIdempotencyKey', () => repo.findOrderByIdempotencyKey(db, 'user-1', 'key-1'));
  await run('findOrderByPaymentIntent', () => repo.findOrderByPaymentIntent(db, 'pi_1'));
  await run('listOrders', () =>
    repo.listOrders(db, { userId: 'user-1', status: 'Pending' }, { offset: 0, limit: 100 }),
  );
  await run('findLines', () => repo.findLines(db, [1, 2]));
  await run('moveStatus', () =>
    repo.moveStatus(db, 1, 'Pending', 'Approved', { paid_at: at, updated_at: at }),
  );
  await run('claimCheckoutAttempt', () =>
    repo.claimCheckoutAttempt(db, 1, 2, { expiresAt: at, successUrl: 'http://a', cancelUrl: 'http://b', at }),
  );
  await run('recordCheckoutSession', () =>
    repo.recordCheckoutSession(db, 1, 2, { id: 'cs_1', url: 'https://pay', expiresAt: at, at }),
  );
  await run('flagOrder', () => repo.flagOrder(db, 1, 'refund failed', at));
  await run('insertRefundRequest', () =>
    repo.insertRefundRequest(db, {
      order_id: 1,
      payment_intent_id: 'pi_1',
      amount_minor: 90_00,
      currency: 'AUD',
      kind: 'cancellation',
      status: 'requested',
      stripe_refund_id: null,
      failure_reason: null,
      created_at: at,
      updated_at: at,
    }),
  );
  await run('findRefundForStripe', () => repo.findRefundForStripe(db, 're_1', 1));
  await run('updateRefund', () =>
    repo.updateRefund(db, 1, 'requested', {
      status: 'succeeded',
      stripeRefundId: 're_1',
      failureReason: null,
      at,
    }),
  );
  await run('recordProviderEvent', () => repo.recordProviderEvent(db, 'evt_1', at));
  await run('markPlaced', () => repo.markPlaced(db, 1, at));
  await run('lockCustomer', () => repo.lockCustomer(db, 'user-1', at));
  await run('countPendingOrders', () => repo.countPendingOrders(db, 'user-1'));
  await run('findCheckoutSession', () => repo.findCheckoutSession(db, 'cs_1'));
  await run('clearFlag', () => repo.clearFlag(db, 1, 'Refunding payment', at));
  await run('recordRefundFailure', () => repo.recordRefundFailure(db, 1, 'timeout', at));
  return called;
}
