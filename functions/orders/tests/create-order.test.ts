import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LocalPayments } from '../../../shared/payments/local-payments.js';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import '../../index.js';
import { aCoupon, createCouponViaApi } from '../../coupons/tests/coupons.builders.js';
import { aCartUpsert, Catalog } from '../../cart/tests/cart.builders.js';
import { catalogStock } from '../../catalog/tests/catalog.builders.js';
import type { OrderHeaderDto } from '../orders.schemas.js';
import type { OrdersTables } from '../orders.tables.js';
import { aCustomer, anAdmin, anOrderBody, Storefront, type Customer } from './orders.builders.js';

let host: TestHost;
let catalog: Catalog;

before(async () => {
  host = await startTestHost();
  catalog = new Catalog(host);
});
after(() => host.close());

const ordersDb = () => host.platform.database<OrdersTables>('orders').db;
const reservations = () => catalogStock.reservationIds(host);

async function rowsOf(userId: string) {
  const orders = await ordersDb().selectFrom('orders').selectAll().where('user_id', '=', userId).execute();
  const lines = await ordersDb()
    .selectFrom('order_lines')
    .selectAll()
    .where('order_id', 'in', orders.map((o) => o.id).concat([0]))
    .execute();
  return { orders, lines };
}

async function outboxEvents(name: string, orderId: number) {
  const rows = await ordersDb().selectFrom('outbox').select('body').where('event_name', '=', name).execute();
  return rows
    .map((r) => JSON.parse(r.body) as { data: { orderId: number }; deliverAt?: string })
    .filter((m) => m.data.orderId === orderId);
}

async function applyCoupon(customer: Customer, code: string, productId: number) {
  await host.call('POST', '/api/cart/cartupsert', {
    json: aCartUpsert(customer.userId).line({ id: productId }, 1).build(),
    token: customer.token,
  });
  const res = await host.call('POST', '/api/cart/applycoupon', {
    json: { cartHeader: { userId: customer.userId, couponCode: code } },
    token: customer.token,
  });
  assert.equal(res.status, 200, res.text);
}

describe('POST /api/order/createorder', () => {
  it('prices the order on the server from the posted product ids and counts only', async () => {
    const customer = await aCustomer(host, 'Ada Lovelace');
    const mug = await catalog.product({ price: '12.50', quantity: 10 });
    const tea = await catalog.product({ price: '3.99', quantity: 10 });
    const shop = new Storefront(host, customer);
    const tampered = { ...mug, price: 0.01, name: 'Free mug' };

    const res = await shop.createOrder(
      anOrderBody(customer.userId).line(tampered, 2, { price: 0.01 }).line(tea, 3).build(),
    );

    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.isSuccess, true);
    const order = res.body.data as OrderHeaderDto;
    assert.ok(order.orderHeaderId > 0);
    assert.deepEqual(
      { ...order, orderHeaderId: 0, orderTime: '', paymentDueBy: '', orderDetails: [] },
      {
        orderHeaderId: 0,
        userId: customer.userId,
        couponCode: '',
        discount: 0,
        orderTotal: 36.97,
        subtotal: 36.97,
        currency: 'AUD',
        name: 'Ada Lovelace',
        phone: '0400 000 000',
        email: customer.email,
        orderTime: '',
        status: 'Pending',
        paymentIntentId: '',
        stripeSessionId: '',
        paymentDueBy: '',
        orderDetails: [],
      },
    );
    assert.deepEqual(
      order.orderDetails.map((d) => [d.productId, d.productName, d.count, d.price, d.orderHeaderId]),
      [
        [mug.id, mug.name, 2, 12.5, order.orderHeaderId],
        [tea.id, tea.name, 3, 3.99, order.orderHeaderId],
      ],
    );
    assert.equal(order.orderDetails[0]?.productImage, mug.images[0]?.url);
    assert.match(order.orderDetails[0]?.productImage ?? '', /^http:\/\//);
    assert.ok(!Number.isNaN(new Date(order.orderTime).getTime()));
  });

  it('reserves the stock (available goes down, nothing is sold yet) and schedules the payment window’s end', async () => {
    const customer = await aCustomer(host);
    const product = await catalog.product({ quantity: 8 });
    const order = await new Storefront(host, customer).placeOrder([product, 3]);

    const after = await catalog.get(product.id);
    assert.equal(after.quantity, 5);
    assert.equal(after.sold, 0);
    const [windowEnd] = await outboxEvents('OrderPaymentWindowEnded', order.orderHeaderId);
    assert.equal(
      windowEnd?.deliverAt,
      new Date(new Date(order.paymentDueBy).getTime() + 5 * 60_000).toISOString(),
    );
    assert.equal((await outboxEvents('OrderCreated', order.orderHeaderId)).length, 1);
  });

  it('merges repeated products into one line', async () => {
    const customer = await aCustomer(host);
    const product = await catalog.product({ quantity: 10 });
    const order = await new Storefront(host, customer).placeOrder([product, 2], [product, 1]);
    assert.deepEqual(
      order.orderDetails.map((d) => [d.productId, d.count]),
      [[product.id, 3]],
    );
  });

  it('takes the discount from the cart’s coupon, priced again by the coupons domain, and holds a use of it', async () => {
    const customer = await aCustomer(host);
    const coupon = await createCouponViaApi(host, aCoupon().fixed(5).withMinAmount(20).build());
    const code = String(coupon['couponCode']);
    const product = await catalog.product({ price: '15.00', quantity: 10 });
    await applyCoupon(customer, code, product.id);

    const order = await new Storefront(host, customer).placeOrder([product, 2]);

    assert.equal(order.couponCode, code);
    assert.equal(order.subtotal, 30);
    assert.equal(order.discount, 5);
    assert.equal(order.orderTotal, 25);
    const usage = await host.call('GET', `/api/coupon/${coupon['couponId'] as number}`, {
      token: anAdmin(host).token,
    });
    assert.equal((usage.body.data as { timesUsed: number }).timesUsed, 1);
  });

  it('leaves out a cart coupon that does not apply to this order, without failing it', async () => {
    const customer = await aCustomer(host);
    const coupon = await createCouponViaApi(host, aCoupon().fixed(5).withMinAmount(100).build());
    const product = await catalog.product({ price: '15.00', quantity: 10 });
    await applyCoupon(customer, String(coupon['couponCode']), product.id);

    const res = await new Storefront(host, customer).createOrder(
      anOrderBody(customer.userId).line(product, 1).build(),
    );
    assert.equal(res.status, 201, res.text);
    const order = res.body.data as OrderHeaderDto;
    assert.equal(order.couponCode, '');
    assert.equal(order.discount, 0);
    assert.equal(order.orderTotal, 15);
    assert.match(
      res.body.message,
      /Order placed\. Coupon .* needs an order of at least 100\.00.* not deducted: this order is at full price/,
    );
  });

  it('returns the same order for a retry with the same Idempotency-Key, and refuses the key for another order', async () => {
    const customer = await aCustomer(host);
    const product = await catalog.product({ quantity: 10 });
    const shop = new Storefront(host, customer);
    const body = anOrderBody(customer.userId).line(product, 2).build();
    const headers = { 'idempotency-key': `checkout-${customer.userId}` };

    const [first, second] = await Promise.all([
      shop.createOrder(body, headers),
      shop.createOrder(body, headers),
    ]);
    const third = await shop.createOrder(body, headers);
    const ids = [first, second, third].map((r) => (r.body.data as OrderHeaderDto).orderHeaderId);
    assert.deepEqual(
      [first, second, third].map((r) => r.status).sort(),
      [200, 200, 201],
      [first, second, third].map((r) => r.text).join('\n'),
    );
    assert.equal(new Set(ids).size, 1);
    assert.equal((await catalog.get(product.id)).quantity, 8, 'stock is held once');

    const other = await shop.createOrder(anOrderBody(customer.userId).line(product, 1).build(), headers);
    assert.equal(other.status, 409);
    assert.match(other.body.message, /Idempotency-Key/);
    assert.equal((await rowsOf(customer.userId)).orders.length, 1);
  });

  it('lets an ADMIN place an order for a customer, and refuses a customer who names someone else (403)', async () => {
    const customer = await aCustomer(host);
    const other = await aCustomer(host);
    const product = await catalog.product({ quantity: 10 });
    const foreign = await new Storefront(host, other).createOrder(
      anOrderBody(customer.userId).line(product, 1).build(),
    );
    assert.equal(foreign.status, 403);
    assert.equal((await rowsOf(customer.userId)).orders.length, 0);

    const res = await new Storefront(host, anAdmin(host)).createOrder(
      anOrderBody(customer.userId).line(product, 1).build(),
    );
    assert.equal(res.status, 201, res.text);
    assert.equal((res.body.data as OrderHeaderDto).email, customer.email);
  });
});

describe('createorder refuses bad input clearly and writes nothing', () => {
  let customer: Customer;
  let shop: Storefront;
  before(async () => {
    customer = await aCustomer(host);
    shop = new Storefront(host, customer);
  });

  const cases: [string, () => Promise<unknown>, number, RegExp][] = [
    [
      'an unknown product',
      async () => anOrderBody(undefined).line({ id: 999_999 }, 1).build(),
      400,
      /Product 999999 does not exist/,
    ],
    [
      'a count of 0',
      async () =>
        anOrderBody(undefined)
          .line(await catalog.product(), 0)
          .build(),
      400,
      /count must be at least 1/,
    ],
    [
      'a negative count',
      async () =>
        anOrderBody(undefined)
          .line(await catalog.product(), -2)
          .build(),
      400,
      /count must be at least 1/,
    ],
    [
      'a fractional count',
      async () =>
        anOrderBody(undefined)
          .line(await catalog.product(), 1.5)
          .build(),
      400,
      /whole number/,
    ],
    [
      'a count above the limit',
      async () =>
        anOrderBody(undefined)
          .line(await catalog.product(), 100)
          .build(),
      400,
      /at most 99/,
    ],
    [
      'repeats adding up above the limit',
      async () => {
        const p = await catalog.product({ quantity: 500 });
        return anOrderBody(undefined).line(p, 60).line(p, 60).build();
      },
      400,
      /at most 99/,
    ],
    ['an empty order', async () => anOrderBody(undefined).build(), 400, /at least one product/],
    ['no lines at all', async () => ({ cartHeader: {} }), 400, /cartDetails/],
    [
      'a product id as text',
      async () => ({ cartDetails: [{ productId: '5', count: 1 }] }),
      400,
      /productId must be a number/,
    ],
    ['a body that is not an object', async () => [1, 2], 400, /cartDetails/],
    [
      'more than the stock (the product is named)',
      async () =>
        anOrderBody(undefined)
          .line(await catalog.product({ name: 'Rare vase', quantity: 2 }), 3)
          .build(),
      409,
      /Only 2 of "Rare vase" left/,
    ],
    [
      'a product out of stock',
      async () =>
        anOrderBody(undefined)
          .line(await catalog.product({ name: 'Sold-out lamp', quantity: 0 }), 1)
          .build(),
      409,
      /"Sold-out lamp" is out of stock/,
    ],
    [
      'a product no longer sold',
      async () => {
        const p = await catalog.product({ name: 'Old kettle' });
        await catalog.remove(p.id);
        return anOrderBody(undefined).line(p, 1).build();
      },
      409,
      /"Old kettle" is no longer sold/,
    ],
    [
      'a total below what a card can be charged',
      async () =>
        anOrderBody(undefined)
          .line(await catalog.product({ price: '0.20' }), 1)
          .build(),
      400,
      /at least 0\.50 AUD/,
    ],
  ];

  for (const [label, body, status, message] of cases) {
    it(`${label}: ${status}`, async () => {
      const stockBefore = await reservations();
      const res = await shop.createOrder(await body());
      assert.equal(res.status, status, res.text);
      assert.equal(res.body.isSuccess, false);
      assert.match(res.body.message, message);
      const { orders, lines } = await rowsOf(customer.userId);
      assert.equal(orders.length, 0);
      assert.equal(lines.length, 0);
      const stockAfter = await reservations();
      assert.equal(stockAfter.length, stockBefore.length, 'no stock was reserved');
    });
  }

  it('refuses a malformed Idempotency-Key', async () => {
    const res = await shop.createOrder(
      anOrderBody(undefined)
        .line(await catalog.product(), 1)
        .build(),
      {
        'idempotency-key': 'has spaces in it',
      },
    );
    assert.equal(res.status, 400);
    assert.match(res.body.message, /Idempotency-Key/);
  });

  it('needs a signed-in customer (401)', async () => {
    const res = await host.call('POST', '/api/order/createorder', { json: anOrderBody(undefined).build() });
    assert.equal(res.status, 401);
  });
});

describe('concurrent orders for the last units', () => {
  it('50 orders at once for a product with 5 in stock: exactly 5 are placed, the rest are refused and leave nothing', async () => {
    const product = await catalog.product({ name: 'Limited print', quantity: 5 });
    const customers = await Promise.all([1, 2, 3, 4, 5].map(() => aCustomer(host)));
    const attempts = Array.from({ length: 50 }, (_, i) => {
      const customer = customers[i % customers.length] as Customer;
      return new Storefront(host, customer).createOrder(
        anOrderBody(customer.userId).line(product, 1).build(),
      );
    });
    const results = await Promise.all(attempts);

    const placed = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 409);
    assert.equal(placed.length, 5, results.map((r) => `${r.status} ${r.body.message}`).join('\n'));
    assert.equal(refused.length, 45);
    for (const r of refused) assert.match(r.body.message, /Limited print/);
    assert.equal((await catalog.get(product.id)).quantity, 0);
    const rows = await Promise.all(customers.map((c) => rowsOf(c.userId)));
    assert.equal(
      rows.reduce((n, r) => n + r.orders.length, 0),
      5,
      'refused orders leave no row',
    );

    // Paying them takes the units off the shelf: on hand ends at 0, nothing reserved, 5 sold.
    const payments = host.platform.payments;
    assert.ok(payments instanceof LocalPayments);
    for (const res of placed) {
      const order = res.body.data as OrderHeaderDto;
      const owner = customers.find((c) => c.userId === order.userId) as Customer;
      const checkout = await new Storefront(host, owner).checkout(order);
      assert.equal((await payments.pay(checkout.stripeSessionId)).kind, 'paid');
    }
    await host.settle();
    const stock = await catalogStock.of(host, product.id);
    assert.deepEqual(stock, { quantity: 0, reserved_quantity: 0, sold_count: 5 });
  });
});
