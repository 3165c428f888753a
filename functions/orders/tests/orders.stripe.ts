import { startStripeDouble, type StripeDouble } from '../../../shared/testing/stripe-double.js';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import { ManualClock } from '../../../shared/time/clock.js';
import type { OrdersTables } from '../orders.tables.js';

/**
 * A whole shop whose payments go to a loopback double of Stripe's API through the real `stripe`
 * SDK (the adapter Azure runs), with one clock for both: the double signs and expires by it.
 */
export interface ShopWithStripe {
  host: TestHost;
  stripe: StripeDouble;
  /** Delivers a signed event to the shop's webhook as Stripe would. */
  deliver(signed: { payload: string; header: string }): Promise<Response>;
  close(): Promise<void>;
}

export async function startShopWithStripe(env: Record<string, string> = {}): Promise<ShopWithStripe> {
  const clock = new ManualClock(new Date());
  const stripe = await startStripeDouble({ clock });
  const host = await startTestHost({
    clock,
    env: {
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_API_URL: stripe.url,
      ...env,
    },
  });
  return {
    host,
    stripe,
    deliver: (signed) => stripe.deliver(signed, `${host.url}/api/order/webhook`),
    async close() {
      await host.close();
      await stripe.close();
    },
  };
}

/** The order's row as stored, and the events it emitted (by name), for assertions. */
export async function orderState(host: TestHost, orderId: number) {
  const db = host.platform.database<OrdersTables>('orders').db;
  const order = await db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirstOrThrow();
  const outbox = await db.selectFrom('outbox').select(['event_name', 'body']).execute();
  const events = outbox
    .map((r) => ({ name: r.event_name, data: (JSON.parse(r.body) as { data: { orderId?: number } }).data }))
    .filter((e) => e.data.orderId === orderId)
    .map((e) => e.name);
  const refunds = await db
    .selectFrom('payment_refunds')
    .selectAll()
    .where('order_id', '=', orderId)
    .execute();
  return { order, events, refunds };
}

export const count = (events: string[], name: string) => events.filter((e) => e === name).length;
