import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import '../../index.js';
import { aCoupon, createCouponViaApi } from '../../coupons/tests/coupons.builders.js';
import { aCartUpsert, Catalog } from '../../cart/tests/cart.builders.js';
import type { OrderHeaderDto } from '../orders.schemas.js';
import { aCustomer, anAdmin, Storefront } from './orders.builders.js';
import { count, orderState, startShopWithStripe, type ShopWithStripe } from './orders.stripe.js';

let shop: ShopWithStripe;
let catalog: Catalog;

before(async () => {
  shop = await startShopWithStripe();
  catalog = new Catalog(shop.host);
});
after(() => shop.close());

const minutes = (n: number) => n * 60_000;
const aStorefront = async () => new Storefront(shop.host, await aCustomer(shop.host));
const couponUses = async (couponId: number) =>
  (
    (await shop.host.call('GET', `/api/coupon/${couponId}`, { token: anAdmin(shop.host).token })).body
      .data as { timesUsed: number }
  ).timesUsed;

/** A customer's pending order of `units` of a fresh product with `stock`, using a fresh coupon. */
async function aPendingOrderWithCoupon(stock: number, units: number) {
  const storefront = await aStorefront();
  const product = await catalog.product({ price: '40.00', quantity: stock });
  const coupon = await createCouponViaApi(shop.host, aCoupon().fixed(5).withUsageLimit(1).build());
  await shop.host.call('POST', '/api/cart/cartupsert', {
    json: aCartUpsert(storefront.customer.userId).line(product, 1).build(),
    token: storefront.customer.token,
  });
  await shop.host.call('POST', '/api/cart/applycoupon', {
    json: { cartHeader: { userId: storefront.customer.userId, couponCode: String(coupon['couponCode']) } },
    token: storefront.customer.token,
  });
  const order = await storefront.placeOrder([product, units]);
  assert.equal(order.discount, 5);
  return { storefront, product, couponId: Number(coupon['couponId']), order };
}

async function paidOrder(storefront: Storefront, order: OrderHeaderDto) {
  const { stripeSessionId } = await storefront.checkout(order);
  await shop.deliver(shop.stripe.completeSession(stripeSessionId));
  await shop.host.settle();
  return stripeSessionId;
}

describe('an order whose payment never comes', () => {
  it('expires when its scheduled message comes due: the session is expired at Stripe, stock and coupon go back', async () => {
    const { storefront, product, couponId, order } = await aPendingOrderWithCoupon(3, 2);
    const { stripeSessionId } = await storefront.checkout(order);
    assert.equal((await catalog.get(product.id)).quantity, 1);
    assert.equal(await couponUses(couponId), 1);

    shop.host.clock.advance(minutes(20));
    await shop.host.settle();
    assert.equal(
      (await storefront.order(order.orderHeaderId)).status,
      'Pending',
      'nothing happens before its time',
    );

    shop.host.clock.advance(minutes(17)); // past the session's expiry plus the grace period
    await shop.host.settle();

    const { order: row, events } = await orderState(shop.host, order.orderHeaderId);
    assert.deepEqual([row.status, row.cancel_reason], ['Cancelled', 'payment_expired']);
    assert.equal(count(events, 'OrderCancelled'), 1);
    assert.equal(shop.stripe.session(stripeSessionId).status, 'expired');
    assert.equal((await catalog.get(product.id)).quantity, 3);
    assert.equal(await couponUses(couponId), 0);
  });

  it('expires on Stripe’s checkout.session.expired webhook, releasing stock and coupon at once', async () => {
    const { storefront, product, couponId, order } = await aPendingOrderWithCoupon(2, 2);
    const { stripeSessionId } = await storefront.checkout(order);

    const res = await shop.deliver(shop.stripe.expiredEvent(stripeSessionId));
    assert.equal(res.status, 200);
    await shop.host.settle();

    assert.equal((await storefront.order(order.orderHeaderId)).status, 'Cancelled');
    assert.equal((await catalog.get(product.id)).quantity, 2);
    assert.equal(await couponUses(couponId), 0);
  });

  it('approves instead when the session turns out paid at expiry (its webhook never came)', async () => {
    const storefront = await aStorefront();
    const product = await catalog.product({ quantity: 3 });
    const order = await storefront.placeOrder([product, 1]);
    const { stripeSessionId } = await storefront.checkout(order);
    shop.stripe.completeSession(stripeSessionId); // paid, webhook lost

    shop.host.clock.advance(minutes(40));
    await shop.host.settle();
    const { order: row, events } = await orderState(shop.host, order.orderHeaderId);
    assert.equal(row.status, 'Approved');
    assert.equal(count(events, 'OrderPaid'), 1);
    assert.equal((await catalog.get(product.id)).sold, 1);
  });

  it('waits again when the payment window moved later (the shopper opened a new session)', async () => {
    const storefront = await aStorefront();
    const product = await catalog.product({ quantity: 3 });
    const order = await storefront.placeOrder([product, 1]);
    shop.host.clock.advance(minutes(30)); // opened the payment page only now
    const { stripeSessionId } = await storefront.checkout(order);

    shop.host.clock.advance(minutes(6)); // the first scheduled message comes due
    await shop.host.settle();
    assert.equal((await storefront.order(order.orderHeaderId)).status, 'Pending');
    assert.equal(shop.stripe.session(stripeSessionId).status, 'open');

    shop.host.clock.advance(minutes(31));
    await shop.host.settle();
    assert.equal((await orderState(shop.host, order.orderHeaderId)).order.status, 'Cancelled');
    assert.equal((await catalog.get(product.id)).quantity, 3);
  });
});

describe('cancelling', () => {
  it('cancels a Pending order: its open session is expired first, stock and coupon go back; repeats change nothing', async () => {
    const { storefront, product, couponId, order } = await aPendingOrderWithCoupon(5, 2);
    const { stripeSessionId } = await storefront.checkout(order);

    const [first, second] = await Promise.all([
      storefront.setStatus(order.orderHeaderId, 'Cancelled'),
      storefront.setStatus(order.orderHeaderId, 'Cancelled'),
    ]);
    for (const res of [first, second]) {
      assert.equal(res.status, 200, res.text);
      assert.equal((res.body.data as OrderHeaderDto).status, 'Cancelled');
    }
    await shop.host.settle();

    assert.equal(shop.stripe.session(stripeSessionId).status, 'expired');
    const { events } = await orderState(shop.host, order.orderHeaderId);
    assert.equal(count(events, 'OrderCancelled'), 1);
    assert.equal((await catalog.get(product.id)).quantity, 5);
    assert.equal(await couponUses(couponId), 0);
  });

  it('refunds a paid order the customer cancels; it becomes Refunded when Stripe confirms the refund', async () => {
    const storefront = await aStorefront();
    const product = await catalog.product({ price: '25.00', quantity: 5 });
    const order = await storefront.placeOrder([product, 2]);
    const sessionId = await paidOrder(storefront, order);
    const stock = async () => {
      const p = await catalog.get(product.id);
      return [p.quantity, p.sold];
    };
    assert.deepEqual(await stock(), [3, 2]);
    shop.stripe.refundsAnswer('pending'); // a refund that settles later, like a bank transfer's

    const res = await storefront.setStatus(order.orderHeaderId, 'Cancelled');
    assert.equal(res.status, 200, res.text);
    assert.match(res.body.message, /refunded/);
    await shop.host.settle();
    shop.stripe.refundsAnswer('succeeded');

    const pending = await orderState(shop.host, order.orderHeaderId);
    const refundCall = shop.stripe.requests.find(
      (r) =>
        r.path === '/v1/refunds' &&
        (r.body['metadata'] as Record<string, string>)['orderId'] === String(order.orderHeaderId),
    );
    assert.deepEqual(refundCall?.body, {
      payment_intent: String(shop.stripe.session(sessionId).payment_intent),
      amount: '5000',
      reason: 'requested_by_customer',
      metadata: { orderId: String(order.orderHeaderId), refundRequestId: String(pending.refunds[0]?.id) },
    });
    assert.equal(pending.order.status, 'Cancelled', 'a pending refund is not a refund yet');
    assert.deepEqual(
      pending.refunds.map((r) => [r.kind, r.status]),
      [['cancellation', 'pending']],
    );
    assert.deepEqual(await stock(), [5, 0], 'the units are back on the shelf and no longer sold');
    assert.equal(count(pending.events, 'OrderCancelled'), 1);

    const refundId = pending.refunds[0]?.stripe_refund_id ?? '';
    for (let i = 0; i < 2; i++) await shop.deliver(shop.stripe.refundEvent(refundId, 'succeeded'));
    const done = await orderState(shop.host, order.orderHeaderId);
    assert.equal(done.order.status, 'Refunded');
    assert.equal(count(done.events, 'OrderRefunded'), 1);
  });

  it('makes the order Refunded at once when Stripe answers the refund as succeeded (card refunds)', async () => {
    const storefront = await aStorefront();
    const order = await storefront.placeOrder([await catalog.product({ quantity: 5 }), 1]);
    await paidOrder(storefront, order);
    await storefront.setStatus(order.orderHeaderId, 'Cancelled');
    await shop.host.settle();
    const { order: row, events } = await orderState(shop.host, order.orderHeaderId);
    assert.equal(row.status, 'Refunded');
    assert.equal(count(events, 'OrderRefunded'), 1);
  });

  it('flags the order for an operator when the refund fails, and leaves it Cancelled', async () => {
    const storefront = await aStorefront();
    const order = await storefront.placeOrder([await catalog.product({ quantity: 5 }), 1]);
    await paidOrder(storefront, order);
    shop.stripe.refundsAnswer('pending');
    await storefront.setStatus(order.orderHeaderId, 'Cancelled');
    await shop.host.settle();
    shop.stripe.refundsAnswer('succeeded');
    const { refunds } = await orderState(shop.host, order.orderHeaderId);

    await shop.deliver(shop.stripe.refundEvent(refunds[0]?.stripe_refund_id ?? '', 'failed'));
    const { order: row, refunds: after } = await orderState(shop.host, order.orderHeaderId);
    assert.equal(row.status, 'Cancelled');
    assert.equal(row.is_flagged, true);
    assert.match(row.flag_reason ?? '', /failed/);
    assert.deepEqual(
      after.map((r) => r.status),
      ['failed'],
    );
    assert.ok(shop.host.logs.some((l) => l.level === 'error' && /refund failed/.test(l.msg)));
  });

  it('refunds a payment that arrives after the order was cancelled, instead of keeping it', async () => {
    const storefront = await aStorefront();
    const product = await catalog.product({ quantity: 5 });
    const order = await storefront.placeOrder([product, 1]);
    const { stripeSessionId } = await storefront.checkout(order);
    shop.stripe.failNext(3); // Stripe cannot be reached to expire the session (the SDK retries twice)
    await storefront.setStatus(order.orderHeaderId, 'Cancelled');
    await shop.host.settle();

    await shop.deliver(shop.stripe.completeSession(stripeSessionId)); // the shopper paid anyway
    await shop.host.settle();

    const { order: row, refunds, events } = await orderState(shop.host, order.orderHeaderId);
    assert.equal(count(events, 'OrderPaid'), 0);
    assert.deepEqual(
      refunds.map((r) => [r.kind, r.payment_intent_id]),
      [['late_payment', shop.stripe.session(stripeSessionId).payment_intent]],
    );
    assert.equal(row.status, 'Refunded', 'the card refund succeeded at once');
    assert.equal((await catalog.get(product.id)).quantity, 5);
  });

  it('refunds a second payment of an order already paid, and keeps the order Approved', async () => {
    const storefront = await aStorefront();
    const order = await storefront.placeOrder([await catalog.product({ quantity: 5 }), 1]);
    const { stripeSessionId } = await storefront.checkout(order);
    shop.stripe.failNext(3); // the shop marks it paid, but the open session cannot be expired
    const marked = await storefront.setStatus(order.orderHeaderId, 'Approved', anAdmin(shop.host).token);
    assert.equal(marked.status, 200, marked.text);

    await shop.deliver(shop.stripe.completeSession(stripeSessionId));
    await shop.host.settle();

    const { order: row, refunds, events } = await orderState(shop.host, order.orderHeaderId);
    assert.equal(row.status, 'Approved');
    assert.equal(count(events, 'OrderPaid'), 1);
    assert.deepEqual(
      refunds.map((r) => r.kind),
      ['duplicate_payment'],
    );
  });
});

describe('POST /api/order/updateorderstatus/{orderId}', () => {
  it('lets an ADMIN move a paid order along: ReadyForPickup, then Completed', async () => {
    const storefront = await aStorefront();
    const order = await storefront.placeOrder([await catalog.product(), 1]);
    await paidOrder(storefront, order);
    const admin = anAdmin(shop.host).token;
    for (const status of ['ReadyForPickup', 'Completed']) {
      const res = await storefront.setStatus(order.orderHeaderId, status, admin);
      assert.equal(res.status, 200, res.text);
      assert.equal((res.body.data as OrderHeaderDto).status, status);
    }
  });

  it('refuses moves the state machine has not, and customers’ shop-only moves (409, naming both states)', async () => {
    const storefront = await aStorefront();
    const order = await storefront.placeOrder([await catalog.product(), 1]);
    const admin = anAdmin(shop.host).token;

    const skip = await storefront.setStatus(order.orderHeaderId, 'Completed', admin);
    assert.equal(skip.status, 409);
    assert.match(skip.body.message, /Pending to Completed/);
    const refunded = await storefront.setStatus(order.orderHeaderId, 'Refunded', admin);
    assert.equal(refunded.status, 409);

    await paidOrder(storefront, order);
    const ready = await storefront.setStatus(order.orderHeaderId, 'ReadyForPickup');
    assert.equal(ready.status, 409);
    assert.match(ready.body.message, /Only the shop/);
    assert.equal((await storefront.order(order.orderHeaderId)).status, 'Approved');
  });

  it('answers success without change when the order already has the status asked for', async () => {
    const storefront = await aStorefront();
    const order = await storefront.placeOrder([await catalog.product(), 1]);
    const res = await storefront.setStatus(order.orderHeaderId, 'pending');
    assert.equal(res.status, 200);
    assert.equal((res.body.data as OrderHeaderDto).status, 'Pending');
  });

  it('refuses a status that does not exist (400, listing the valid ones), a non-string body, and another customer’s order (404)', async () => {
    const storefront = await aStorefront();
    const order = await storefront.placeOrder([await catalog.product(), 1]);
    const unknown = await storefront.setStatus(order.orderHeaderId, 'Shipped');
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.message, /Pending, Approved, ReadyForPickup, Completed, Cancelled, Refunded/);
    assert.equal((await storefront.setStatus(order.orderHeaderId, 3)).status, 400);
    const stranger = await aStorefront();
    assert.equal((await stranger.setStatus(order.orderHeaderId, 'Cancelled')).status, 404);
    assert.equal((await storefront.order(order.orderHeaderId)).status, 'Pending');
  });
});
