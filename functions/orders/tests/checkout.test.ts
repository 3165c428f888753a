import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import '../../index.js';
import { aCoupon, createCouponViaApi } from '../../coupons/tests/coupons.builders.js';
import { aCartUpsert, Catalog } from '../../cart/tests/cart.builders.js';
import type { OrderHeaderDto } from '../orders.schemas.js';
import { aCustomer, returnUrls, Storefront } from './orders.builders.js';
import { count, orderState, startShopWithStripe, type ShopWithStripe } from './orders.stripe.js';

let shop: ShopWithStripe;
let catalog: Catalog;

before(async () => {
  shop = await startShopWithStripe();
  catalog = new Catalog(shop.host);
});
after(() => shop.close());

const aStorefront = async () => new Storefront(shop.host, await aCustomer(shop.host));
const sessionCreates = (orderId: number) =>
  shop.stripe.requests.filter(
    (r) =>
      r.method === 'POST' &&
      r.path === '/v1/checkout/sessions' &&
      (r.body['metadata'] as Record<string, string> | undefined)?.['orderId'] === String(orderId),
  );

describe('POST /api/order/createstripesession', () => {
  it('opens one Stripe Checkout Session built from the order as stored, with a fixed-amount coupon for the discount', async () => {
    const storefront = await aStorefront();
    const coupon = await createCouponViaApi(shop.host, aCoupon().percent(10).build());
    const code = String(coupon['couponCode']);
    const mug = await catalog.product({ price: '12.50', quantity: 10 });
    await shop.host.call('POST', '/api/cart/cartupsert', {
      json: aCartUpsert(storefront.customer.userId).line(mug, 1).build(),
      token: storefront.customer.token,
    });
    await shop.host.call('POST', '/api/cart/applycoupon', {
      json: { cartHeader: { userId: storefront.customer.userId, couponCode: code } },
      token: storefront.customer.token,
    });
    const order = await storefront.placeOrder([mug, 3]);
    assert.equal(order.discount, 3.75);

    const urls = returnUrls(order.orderHeaderId, 'http://localhost:3000');
    const res = await storefront.startCheckout({ ...order, orderTotal: 0.01 } as OrderHeaderDto, urls);

    assert.equal(res.status, 200, res.text);
    const checkout = res.body.data as {
      stripeSessionUrl: string;
      stripeSessionId: string;
      orderHeader: OrderHeaderDto;
    };
    assert.match(checkout.stripeSessionId, /^cs_test_/);
    assert.equal(checkout.stripeSessionUrl, shop.stripe.session(checkout.stripeSessionId).url);
    assert.equal(checkout.orderHeader.stripeSessionId, checkout.stripeSessionId);
    assert.equal(checkout.orderHeader.status, 'Pending');

    const [create, ...more] = sessionCreates(order.orderHeaderId);
    assert.equal(more.length, 0);
    assert.match(
      create?.idempotencyKey ?? '',
      new RegExp(`^order-${order.orderHeaderId}-\\d{13}-checkout-1$`),
    );
    const body = create?.body ?? {};
    const [discount] = body['discounts'] as { coupon: string }[];
    assert.deepEqual(body, {
      mode: 'payment',
      currency: 'aud',
      line_items: [
        {
          quantity: '3',
          price_data: { currency: 'aud', unit_amount: '1250', product_data: { name: mug.name } },
        },
      ],
      discounts: [{ coupon: discount?.coupon ?? '' }],
      client_reference_id: String(order.orderHeaderId),
      metadata: { orderId: String(order.orderHeaderId) },
      payment_intent_data: { metadata: { orderId: String(order.orderHeaderId) } },
      expires_at: body['expires_at'],
      success_url: urls.approvedUrl,
      cancel_url: urls.cancelUrl,
      customer_email: storefront.customer.email,
    });
    const expiresIn = Number(body['expires_at']) * 1000 - shop.host.clock.now().getTime();
    assert.ok(expiresIn >= 30 * 60_000 && expiresIn <= 32 * 60_000, `expires in ${expiresIn} ms`);
    const stripeCoupon = shop.stripe.coupons().find((c) => c.id === discount?.coupon);
    assert.equal(stripeCoupon?.amount_off, 375);
    assert.equal(stripeCoupon?.currency, 'aud');
    assert.equal(stripeCoupon?.duration, 'once');
    assert.equal(stripeCoupon?.percent_off, null);
    assert.equal(
      shop.stripe.session(checkout.stripeSessionId).amount_total,
      3375,
      'Stripe’s total is ours to the cent',
    );
  });

  it('returns the open session again instead of creating a second one, even for calls at the same moment', async () => {
    const storefront = await aStorefront();
    const order = await storefront.placeOrder([await catalog.product(), 1]);
    const [a, b] = await Promise.all([storefront.checkout(order), storefront.checkout(order)]);
    const c = await storefront.checkout(order);

    assert.equal(a.stripeSessionId, b.stripeSessionId);
    assert.equal(a.stripeSessionId, c.stripeSessionId);
    const creates = sessionCreates(order.orderHeaderId);
    assert.ok(creates.length <= 2);
    assert.equal(
      new Set(creates.map((r) => r.idempotencyKey)).size,
      1,
      'racing calls share one idempotency key',
    );
  });

  it('refuses return URLs outside the storefront’s origins (an open redirect) and calls nothing', async () => {
    const storefront = await aStorefront();
    const order = await storefront.placeOrder([await catalog.product(), 1]);
    for (const [field, urls] of [
      ['approvedUrl', { ...returnUrls(order.orderHeaderId), approvedUrl: 'https://evil.example/steal' }],
      ['cancelUrl', { ...returnUrls(order.orderHeaderId), cancelUrl: 'http://localhost.evil.example:3000/' }],
      ['approvedUrl', { ...returnUrls(order.orderHeaderId), approvedUrl: 'javascript:alert(1)' }],
    ] as const) {
      const res = await storefront.startCheckout(order, urls);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.type, field);
    }
    assert.equal(sessionCreates(order.orderHeaderId).length, 0);
  });

  it('accepts a storefront on any local port when no origins are configured', async () => {
    const storefront = await aStorefront();
    const order = await storefront.placeOrder([await catalog.product(), 1]);
    const res = await storefront.startCheckout(
      order,
      returnUrls(order.orderHeaderId, 'http://127.0.0.1:4173'),
    );
    assert.equal(res.status, 200, res.text);
  });

  it('does not find another customer’s order (404) and refuses an order that is not Pending (409)', async () => {
    const storefront = await aStorefront();
    const order = await storefront.placeOrder([await catalog.product(), 1]);
    const stranger = await aStorefront();
    assert.equal((await stranger.startCheckout(order)).status, 404);

    await storefront.setStatus(order.orderHeaderId, 'Cancelled');
    const res = await storefront.startCheckout(order);
    assert.equal(res.status, 409);
    assert.match(res.body.message, /cancelled/);
  });

  it('approves an order with nothing to pay at once, without Stripe, and sends the shopper to approvedUrl', async () => {
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
    assert.equal(order.orderTotal, 0);

    const checkout = await storefront.checkout(order);
    assert.equal(checkout.stripeSessionUrl, returnUrls(order.orderHeaderId).approvedUrl);
    assert.equal(checkout.stripeSessionId, '');
    assert.equal(checkout.orderHeader.status, 'Approved');
    assert.equal(sessionCreates(order.orderHeaderId).length, 0);
    const { events } = await orderState(shop.host, order.orderHeaderId);
    assert.equal(count(events, 'OrderPaid'), 1);
  });
});

describe('paying: the webhook and validatestripesession', () => {
  it('approves the order on checkout.session.completed, once, however often Stripe delivers it', async () => {
    const storefront = await aStorefront();
    const product = await catalog.product({ quantity: 5 });
    const order = await storefront.placeOrder([product, 2]);
    const { stripeSessionId } = await storefront.checkout(order);
    const event = shop.stripe.completeSession(stripeSessionId);

    const answers = await Promise.all(Array.from({ length: 10 }, () => shop.deliver(event)));
    assert.deepEqual(
      answers.map((a) => a.status),
      Array(10).fill(200),
    );
    await shop.host.settle();

    const { order: row, events } = await orderState(shop.host, order.orderHeaderId);
    assert.equal(row.status, 'Approved');
    assert.equal(row.payment_intent_id, shop.stripe.session(stripeSessionId).payment_intent);
    assert.equal(count(events, 'OrderPaid'), 1);
    const after = await catalog.get(product.id);
    assert.deepEqual([after.quantity, after.sold], [3, 2], 'the paid units left the shelf and count as sold');
  });

  it('answers validatestripesession with the order as it is, approving it if Stripe says it was paid', async () => {
    const storefront = await aStorefront();
    const order = await storefront.placeOrder([await catalog.product(), 1]);
    const { stripeSessionId } = await storefront.checkout(order);

    const before = await storefront.validate(order.orderHeaderId);
    assert.equal(before.status, 200);
    assert.equal((before.body.data as OrderHeaderDto).status, 'Pending');
    assert.match(before.body.message, /not received your payment yet/);

    shop.stripe.completeSession(stripeSessionId); // paid; the webhook is late
    const [first, second] = await Promise.all([
      storefront.validate(order.orderHeaderId),
      storefront.validate(order.orderHeaderId),
    ]);
    for (const res of [first, second]) {
      assert.equal(res.status, 200, res.text);
      assert.equal((res.body.data as OrderHeaderDto).status, 'Approved');
    }
    const { events } = await orderState(shop.host, order.orderHeaderId);
    assert.equal(count(events, 'OrderPaid'), 1);
  });

  it('lets the webhook and the return page race: one approval, one OrderPaid, both answer 2xx', async () => {
    const storefront = await aStorefront();
    const order = await storefront.placeOrder([await catalog.product(), 1]);
    const { stripeSessionId } = await storefront.checkout(order);
    const event = shop.stripe.completeSession(stripeSessionId);

    const [hook, page] = await Promise.all([shop.deliver(event), storefront.validate(order.orderHeaderId)]);
    assert.equal(hook.status, 200);
    assert.equal(page.status, 200);
    assert.equal((page.body.data as OrderHeaderDto).status, 'Approved');
    const { events } = await orderState(shop.host, order.orderHeaderId);
    assert.equal(count(events, 'OrderPaid'), 1);
  });

  it('waits for a delayed payment (unpaid at completion), then approves it when it succeeds', async () => {
    const storefront = await aStorefront();
    const order = await storefront.placeOrder([await catalog.product(), 1]);
    const { stripeSessionId } = await storefront.checkout(order);

    await shop.deliver(shop.stripe.completeSession(stripeSessionId, { paymentStatus: 'unpaid' }));
    assert.equal((await storefront.order(order.orderHeaderId)).status, 'Pending');
    await shop.deliver(shop.stripe.asyncPaymentEvent(stripeSessionId, 'succeeded'));
    assert.equal((await storefront.order(order.orderHeaderId)).status, 'Approved');
  });

  it('cancels the order and gives its stock back when a delayed payment fails', async () => {
    const storefront = await aStorefront();
    const product = await catalog.product({ quantity: 4 });
    const order = await storefront.placeOrder([product, 4]);
    const { stripeSessionId } = await storefront.checkout(order);

    await shop.deliver(shop.stripe.completeSession(stripeSessionId, { paymentStatus: 'unpaid' }));
    await shop.deliver(shop.stripe.asyncPaymentEvent(stripeSessionId, 'failed'));
    await shop.host.settle();

    const { order: row } = await orderState(shop.host, order.orderHeaderId);
    assert.deepEqual([row.status, row.cancel_reason], ['Cancelled', 'payment_failed']);
    assert.equal((await catalog.get(product.id)).quantity, 4);
  });

  it('refuses validatestripesession without a usable order id (0 or null from the return page): 400', async () => {
    const storefront = await aStorefront();
    for (const body of [0, null, 'abc', -1, 1.5]) {
      const res = await storefront.validate(body);
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
      assert.equal(res.body.isSuccess, false);
    }
    const unknown = await storefront.validate(987_654);
    assert.equal(unknown.status, 404);
  });

  it('refuses a webhook with a bad, missing or stale signature (400) and changes nothing', async () => {
    const storefront = await aStorefront();
    const order = await storefront.placeOrder([await catalog.product(), 1]);
    const { stripeSessionId } = await storefront.checkout(order);
    const event = shop.stripe.completeSession(stripeSessionId);
    const url = `${shop.host.url}/api/order/webhook`;
    const post = (body: string, signature?: string) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signature ? { 'stripe-signature': signature } : {}),
        },
        body,
      });

    const forged = event.header.replace(/v1=[0-9a-f]+/, `v1=${'0'.repeat(64)}`);
    const tampered = event.payload.replace('"paid"', '"paid" ');
    for (const res of [
      await post(event.payload),
      await post(event.payload, forged),
      await post(tampered, event.header),
    ]) {
      assert.equal(res.status, 400);
    }
    shop.host.clock.advance(301_000); // past the 300 s tolerance
    const stale = await post(event.payload, event.header);
    assert.equal(stale.status, 400);
    assert.match(await stale.text(), /signature could not be verified/i);

    const { order: row, events } = await orderState(shop.host, order.orderHeaderId);
    assert.equal(row.status, 'Pending');
    assert.equal(count(events, 'OrderPaid'), 0);
  });

  it('acknowledges event types it does not handle (2xx) and ignores them', async () => {
    const res = await shop.deliver(
      shop.stripe.sign({ id: 'evt_other', object: 'event', type: 'customer.created', data: { object: {} } }),
    );
    assert.equal(res.status, 200);
  });
});
