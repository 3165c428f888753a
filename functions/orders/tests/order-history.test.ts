import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import '../../index.js';
import { Catalog } from '../../cart/tests/cart.builders.js';
import type { Product } from '../../catalog/catalog.client.js';
import type { OrderHeaderDto } from '../orders.schemas.js';
import { aCustomer, anAdmin, Storefront } from './orders.builders.js';

let host: TestHost;
let ada: Storefront;
let bob: Storefront;
let admin: Storefront;
let adaOrders: OrderHeaderDto[];
let bobOrder: OrderHeaderDto;
let product: Product;

before(async () => {
  host = await startTestHost();
  const catalog = new Catalog(host);
  product = await catalog.product({ price: '20.00', quantity: 50 });
  ada = new Storefront(host, await aCustomer(host, 'Ada'));
  bob = new Storefront(host, await aCustomer(host, 'Bob'));
  admin = new Storefront(host, anAdmin(host));
  adaOrders = [
    await ada.placeOrder([product, 1]),
    await ada.placeOrder([product, 2]),
    await ada.placeOrder([product, 3]),
  ];
  bobOrder = await bob.placeOrder([product, 1]);
  const cancelled = await ada.setStatus(adaOrders[1]?.orderHeaderId ?? 0, 'Cancelled');
  assert.equal(cancelled.status, 200, cancelled.text);
});
after(() => host.close());

const ids = (res: { body: { data: unknown } }) =>
  (res.body.data as OrderHeaderDto[]).map((o) => o.orderHeaderId);
const idOf = (i: number) => adaOrders[i]?.orderHeaderId ?? 0;

describe('GET /api/order/getorderbystatus/{userId}/{status}', () => {
  it('lists the customer’s own orders newest first, each with its lines', async () => {
    const res = await ada.history('All');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(ids(res), [idOf(2), idOf(1), idOf(0)]);
    const newest = (res.body.data as OrderHeaderDto[])[0];
    assert.deepEqual(
      newest?.orderDetails.map((d) => [d.productId, d.count, d.price]),
      [[product.id, 3, 20]],
    );
  });

  it('filters by status, in any case', async () => {
    assert.deepEqual(ids(await ada.history('Pending')), [idOf(2), idOf(0)]);
    assert.deepEqual(ids(await ada.history('cancelled')), [idOf(1)]);
    assert.deepEqual(ids(await ada.history('Refunded')), []);
  });

  it('refuses a status that does not exist, listing the valid ones (400)', async () => {
    const res = await ada.history('Shipped');
    assert.equal(res.status, 400);
    assert.match(
      res.body.message,
      /"Shipped" is not an order status; use one of All, Pending, Approved, ReadyForPickup, Completed, Cancelled, Refunded/,
    );
  });

  it('refuses another user’s id (403) but lets an ADMIN read anyone’s', async () => {
    const foreign = await host.call('GET', `/api/order/getorderbystatus/${ada.customer.userId}/All`, {
      token: bob.customer.token,
    });
    assert.equal(foreign.status, 403);
    const res = await host.call('GET', `/api/order/getorderbystatus/${ada.customer.userId}/All`, {
      token: admin.customer.token,
    });
    assert.deepEqual(ids(res), [idOf(2), idOf(1), idOf(0)]);
  });

  it('pages with pageIndex and pageSize', async () => {
    const res = await host.call(
      'GET',
      `/api/order/getorderbystatus/${ada.customer.userId}/All?pageIndex=2&pageSize=2`,
      {
        token: ada.customer.token,
      },
    );
    assert.deepEqual(ids(res), [idOf(0)]);
  });
});

describe('GET /api/order/getorders', () => {
  it('gives a customer their own orders only, even when they ask for someone else’s', async () => {
    assert.deepEqual(ids(await host.call('GET', '/api/order/getorders', { token: bob.customer.token })), [
      bobOrder.orderHeaderId,
    ]);
    const res = await host.call('GET', `/api/order/getorders?userId=${ada.customer.userId}`, {
      token: bob.customer.token,
    });
    assert.equal(res.status, 403);
  });

  it('gives an ADMIN every order, or one user’s', async () => {
    const all = ids(await host.call('GET', '/api/order/getorders', { token: admin.customer.token }));
    assert.deepEqual(all.slice(0, 4), [bobOrder.orderHeaderId, idOf(2), idOf(1), idOf(0)]);
    const one = await host.call('GET', `/api/order/getorders?userId=${bob.customer.userId}`, {
      token: admin.customer.token,
    });
    assert.deepEqual(ids(one), [bobOrder.orderHeaderId]);
  });
});

describe('GET /api/order/getorder/{id}', () => {
  it('answers the customer’s own order', async () => {
    const order = await ada.order(idOf(0));
    assert.equal(order.orderHeaderId, idOf(0));
    assert.equal(order.name, 'Ada');
  });

  it('does not find another customer’s order (404), nor an unknown one', async () => {
    for (const id of [bobOrder.orderHeaderId, 987_654]) {
      const res = await host.call('GET', `/api/order/getorder/${id}`, { token: ada.customer.token });
      assert.equal(res.status, 404);
      assert.equal(res.body.isSuccess, false);
    }
  });

  it('refuses an id that is not a positive whole number (400)', async () => {
    for (const id of ['0', 'abc', '-3']) {
      const res = await host.call('GET', `/api/order/getorder/${id}`, { token: ada.customer.token });
      assert.equal(res.status, 400, `${id}: ${res.text}`);
    }
  });

  it('lets an ADMIN read any order', async () => {
    assert.equal((await admin.order(bobOrder.orderHeaderId)).userId, bob.customer.userId);
  });
});
