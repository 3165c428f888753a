import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LocalPayments } from '../../../shared/payments/local-payments.js';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import '../../index.js';
import { Catalog } from '../../cart/tests/cart.builders.js';
import { aCustomer, Storefront } from '../../orders/tests/orders.builders.js';
import type { RewardsDto } from '../rewards.schemas.js';

let host: TestHost;

before(async () => {
  host = await startTestHost();
});
after(() => host.close());

describe('points along a real purchase (local checkout)', () => {
  it('earns points when the order is paid, and loses them when it is cancelled and refunded', async () => {
    const customer = await aCustomer(host);
    const shop = new Storefront(host, customer);
    const product = await new Catalog(host).product({ price: '42.50', quantity: 5 });
    const order = await shop.placeOrder([product, 2]);
    const checkout = await shop.checkout(order);
    const payments = host.platform.payments;
    assert.ok(payments instanceof LocalPayments);
    assert.equal((await payments.pay(checkout.stripeSessionId)).kind, 'paid');
    await host.settle();

    const rewards = async () =>
      (await host.call('GET', `/api/reward/${customer.userId}`, { token: customer.token })).body
        .data as RewardsDto;
    assert.deepEqual(
      (await rewards()).entries.map((e) => [e.type, e.orderId, e.points]),
      [['earned', order.orderHeaderId, 85]],
    );

    const cancelled = await shop.setStatus(order.orderHeaderId, 'Cancelled');
    assert.equal(cancelled.status, 200, cancelled.text);
    await payments.deliveriesSettled();
    await host.settle();

    const after = await rewards();
    assert.equal(after.balance, 0);
    assert.deepEqual(
      after.entries.map((e) => [e.type, e.points]),
      [
        ['reversed', -85],
        ['earned', 85],
      ],
    );
    assert.equal((await shop.order(order.orderHeaderId)).status, 'Refunded');
  });
});
