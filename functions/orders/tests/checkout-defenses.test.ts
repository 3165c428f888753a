import assert from 'node:assert/strict';
import { z } from 'zod';
import { after, before, describe, it } from 'node:test';
import '../../index.js';
import { stripeCheckoutSession, stripeEvent, unixSeconds } from '../../../shared/payments/stripe-shapes.js';
import { aCoupon, createCouponViaApi } from '../../coupons/tests/coupons.builders.js';
import { aCartUpsert, Catalog } from '../../cart/tests/cart.builders.js';
import { ordersDeps, type CatalogPort } from '../orders.deps.js';
import type { OrderHeaderDto } from '../orders.schemas.js';
import { MAX_PENDING_ORDERS } from '../place-order.service.js';
import { aCustomer, anAdmin, anOrderBody, refreshToken, returnUrls, Storefront } from './orders.builders.js';
import { count, orderState, startShopWithStripe, type ShopWithStripe } from './orders.stripe.js';

/**
 * What an attack on the checkout found, one regression test each: foreign sessions, delayed
 * payments, orders left half-placed, endless holds, refunds that cannot reach Stripe, refunds made
 * in the dashboard, and the answers to repeated or late calls.
 */
let shop: ShopWithStripe;
let catalog: Catalog;

before(async () => {
  shop = await startShopWithStripe();
  catalog = new Catalog(shop.host);
});
after(() => shop.close());

const minutes = (n: number) => n * 60_000;
const aStorefront = async () => new Storefront(shop.host, await aCustomer(shop.host));
const available = async (productId: number) => (await catalog.get(productId)).quantity;

async function paid(storefront: Storefront, order: OrderHeaderDto): Promise<string> {
  const { stripeSessionId } = await storefront.checkout(order);
  await shop.deliver(shop.stripe.completeSession(stripeSessionId));
  await shop.host.settle();
  return stripeSessionId;
}

/** Swaps the catalog port of orders for the length of a test (a catalog that times out). */
async function withCatalog<T>(changes: Partial<CatalogPort>, work: () => Promise<T>): Promise<T> {
  const deps = ordersDeps(shop.host.platform);
  const real = deps.catalog;
  deps.catalog = { ...real, ...changes };
  try {
    return await work();
  } finally {
    deps.catalog = real;
  }
}

describe('the webhook acts only on sessions the shop opened', () => {
  it('ignores a paid session of another integration that names one of our orders (a Payment Link): no refund, no approval', async () => {
    const storefront = await aStorefront();
    const order = await storefront.placeOrder([await catalog.product({ price: '15.00' }), 1]);
    await paid(storefront, order);

    // A session Stripe created elsewhere on the account, carrying our order id.
    const foreign = stripeCheckoutSession({
      id: 'cs_test_payment_link_1',
      created: unixSeconds(shop.host.clock.now()),
      expiresAt: unixSeconds(shop.host.clock.now()) + 3600,
      currency: 'aud',
      amountSubtotal: 15_00,
      amountDiscount: 0,
      couponId: null,
      clientReferenceId: String(order.orderHeaderId),
      customerEmail: null,
      metadata: { orderId: String(order.orderHeaderId) },
      successUrl: 'https://elsewhere.example/thanks',
      cancelUrl: 'https://elsewhere.example/',
      status: 'complete',
      paymentStatus: 'paid',
      paymentIntent: 'pi_payment_link_1',
      url: null,
    });
    const res = await shop.deliver(
      shop.stripe.sign(
        stripeEvent('checkout.session.completed', foreign, { created: unixSeconds(shop.host.clock.now()) }),
      ),
    );
    assert.equal(res.status, 200);
    await shop.host.settle();

    const { refunds, events, order: row } = await orderState(shop.host, order.orderHeaderId);
    assert.deepEqual(refunds, []);
    assert.equal(count(events, 'OrderPaid'), 1);
    assert.equal(row.status, 'Approved');
    assert.ok(
      !shop.stripe.requests.some(
        (r) => r.path === '/v1/refunds' && r.body['payment_intent'] === 'pi_payment_link_1',
      ),
    );
  });
});

describe('a delayed payment (bank debit)', () => {
  it('keeps its order waiting past the payment window, and approves it when the debit succeeds', async () => {
    const storefront = await aStorefront();
    const product = await catalog.product({ quantity: 2 });
    const order = await storefront.placeOrder([product, 2]);
    const { stripeSessionId } = await storefront.checkout(order);
    await shop.deliver(shop.stripe.completeSession(stripeSessionId, { paymentStatus: 'unpaid' }));

    shop.host.clock.advance(minutes(40));
    await shop.host.settle();
    assert.equal((await orderState(shop.host, order.orderHeaderId)).order.status, 'Pending');
    assert.equal(await available(product.id), 0, 'its stock stays held while the debit is processing');

    await shop.deliver(shop.stripe.asyncPaymentEvent(stripeSessionId, 'succeeded'));
    await shop.host.settle();
    const { order: row, refunds } = await orderState(shop.host, order.orderHeaderId);
    assert.equal(row.status, 'Approved');
    assert.deepEqual(refunds, []);
  });
});

describe('an order whose placing failed half-way', () => {
  it('is neither shown nor payable, and its expiry removes it and gives its stock back', async () => {
    const storefront = await aStorefront();
    const product = await catalog.product({ quantity: 1 });
    const timeout = async () => {
      throw new Error('catalog database timed out');
    };
    const res = await withCatalog({ reserveStock: timeout, releaseStock: timeout }, () =>
      storefront.createOrder(anOrderBody(storefront.customer.userId).line(product, 1).build()),
    );
    assert.equal(res.status, 500);
    const [row] = (await shop.host.platform
      .database('orders')
      .db.selectFrom('orders' as never)
      .select(['id' as never, 'placed_at' as never])
      .where('user_id' as never, '=', storefront.customer.userId as never)
      .execute()) as { id: number; placed_at: Date | null }[];
    assert.ok(row && row.placed_at === null, 'the order row is there, not placed');

    assert.deepEqual((await storefront.history()).body.data, []);
    assert.equal(
      (await shop.host.call('GET', `/api/order/getorder/${row.id}`, { token: storefront.customer.token }))
        .status,
      404,
    );
    assert.equal((await storefront.startCheckout({ orderHeaderId: row.id })).status, 404);

    shop.host.clock.advance(minutes(36));
    await shop.host.settle();
    const after = await shop.host.platform
      .database('orders')
      .db.selectFrom('orders' as never)
      .select('id' as never)
      .where('id' as never, '=', row.id as never)
      .execute();
    assert.deepEqual(after, []);
    assert.equal(await available(product.id), 1);
  });
});

describe('limits on holding stock', () => {
  it('never holds an order’s stock for more than a day, however often the payment page is reopened', async () => {
    const storefront = await aStorefront();
    const product = await catalog.product({ quantity: 1 });
    const order = await storefront.placeOrder([product, 1]);
    for (let i = 0; i < 48; i++) {
      refreshToken(shop.host, storefront.customer);
      const res = await storefront.startCheckout(order);
      if (res.status === 409) {
        assert.match(res.body.message, /time to pay order \d+ is over/);
        break;
      }
      assert.equal(res.status, 200, res.text);
      shop.host.clock.advance(minutes(29.5));
      await shop.host.settle();
    }
    shop.host.clock.advance(minutes(40));
    await shop.host.settle();
    assert.equal((await orderState(shop.host, order.orderHeaderId)).order.status, 'Cancelled');
    assert.equal(await available(product.id), 1);
  });

  it(`refuses a customer’s order beyond ${MAX_PENDING_ORDERS} unpaid ones (409), even sent at once`, async () => {
    const storefront = await aStorefront();
    const product = await catalog.product({ quantity: 100 });
    const results = await Promise.all(
      Array.from({ length: MAX_PENDING_ORDERS + 5 }, () =>
        storefront.createOrder(anOrderBody(storefront.customer.userId).line(product, 1).build()),
      ),
    );
    assert.equal(results.filter((r) => r.status === 201).length, MAX_PENDING_ORDERS);
    const refused = results.filter((r) => r.status === 409);
    assert.equal(refused.length, 5);
    assert.match(refused[0]?.body.message ?? '', /orders waiting for payment/);
  });

  it('refuses an order above the largest amount a card can be charged (400)', async () => {
    const storefront = await aStorefront();
    const pricey = await catalog.product({ price: '999999.00', quantity: 10 });
    const res = await storefront.createOrder(anOrderBody(storefront.customer.userId).line(pricey, 2).build());
    assert.equal(res.status, 400);
    assert.match(res.body.message, /at most 999999\.99 AUD/);
  });
});

describe('refunds', () => {
  it('flags the order while its refund cannot reach Stripe, and clears the flag once it goes through', async () => {
    const storefront = await aStorefront();
    const order = await storefront.placeOrder([await catalog.product(), 1]);
    await paid(storefront, order);
    shop.stripe.failNext(30);
    await storefront.setStatus(order.orderHeaderId, 'Cancelled');
    await shop.host.platform.relay.publishAll();
    await shop.host.platform.bus?.drain({ ignoreBackoff: true, maxPasses: 1 });
    let state = await orderState(shop.host, order.orderHeaderId);
    assert.equal(state.order.is_flagged, true);
    assert.match(state.order.flag_reason ?? '', /^Refunding payment .* failed/);
    assert.match(state.refunds[0]?.failure_reason ?? '', /failed/);

    shop.stripe.failNext(0);
    await shop.host.settle();
    state = await orderState(shop.host, order.orderHeaderId);
    assert.equal(state.order.status, 'Refunded');
    assert.equal(state.order.is_flagged, false);
  });

  it('does not take a partial refund made in the Stripe dashboard for the shop’s own: the order is flagged, not Refunded', async () => {
    const storefront = await aStorefront();
    const order = await storefront.placeOrder([await catalog.product({ price: '40.00' }), 1]);
    const sessionId = await paid(storefront, order);
    const paymentIntent = String(shop.stripe.session(sessionId).payment_intent);
    // An operator refunds 1.00 by hand; Stripe reports it.
    const manual = await fetch(`${shop.stripe.url}/v1/refunds`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${shop.stripe.secretKey}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `payment_intent=${paymentIntent}&amount=100`,
    });
    const { id } = z.object({ id: z.string() }).parse(await manual.json());
    await shop.deliver(shop.stripe.refundEvent(id, 'succeeded'));

    const { order: row, refunds } = await orderState(shop.host, order.orderHeaderId);
    assert.equal(row.status, 'Approved');
    assert.equal(row.is_flagged, true);
    assert.match(row.flag_reason ?? '', /was not made by the shop/);
    assert.deepEqual(refunds, []);
  });
});

describe('repeated and late calls', () => {
  it('answers a cancel of a refunded order with success, not a conflict', async () => {
    const storefront = await aStorefront();
    const order = await storefront.placeOrder([await catalog.product(), 1]);
    await paid(storefront, order);
    await storefront.setStatus(order.orderHeaderId, 'Cancelled');
    await shop.host.settle();
    const res = await storefront.setStatus(order.orderHeaderId, 'Cancelled');
    assert.equal(res.status, 200, res.text);
    assert.equal((res.body.data as OrderHeaderDto).status, 'Refunded');
  });

  it('answers a repeated createstripesession of a free order like the first, and cancels it without promising a refund', async () => {
    const storefront = await aStorefront();
    const coupon = await createCouponViaApi(shop.host, aCoupon().fixed(50).build());
    const product = await catalog.product({ price: '20.00' });
    await shop.host.call('POST', '/api/cart/cartupsert', {
      json: aCartUpsert(storefront.customer.userId).line(product, 1).build(),
      token: storefront.customer.token,
    });
    await shop.host.call('POST', '/api/cart/applycoupon', {
      json: { cartHeader: { userId: storefront.customer.userId, couponCode: String(coupon['couponCode']) } },
      token: storefront.customer.token,
    });
    const order = await storefront.placeOrder([product, 1]);
    const first = await storefront.checkout(order);
    const again = await storefront.startCheckout(order);
    assert.equal(again.status, 200, again.text);
    assert.equal((again.body.data as { stripeSessionUrl: string }).stripeSessionUrl, first.stripeSessionUrl);
    assert.equal(first.stripeSessionUrl, returnUrls(order.orderHeaderId).approvedUrl);

    const cancelled = await storefront.setStatus(order.orderHeaderId, 'Cancelled', anAdmin(shop.host).token);
    assert.equal(cancelled.body.message, 'Order cancelled.');
  });
});
