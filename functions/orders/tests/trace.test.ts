import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import '../../index.js';
import { Catalog } from '../../cart/tests/cart.builders.js';
import type { OrdersTables } from '../orders.tables.js';
import { aCustomer, Storefront } from './orders.builders.js';

let host: TestHost;
before(async () => {
  host = await startTestHost();
});
after(() => host.close());

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const traceparent = `00-${traceId}-00f067aa0ba902b7-01`;

describe('one story, one trace', () => {
  it('carries the request’s W3C trace from the HTTP call through the outbox into each consumer’s logs', async () => {
    const storefront = new Storefront(host, await aCustomer(host));
    const order = await storefront.placeOrder([await new Catalog(host).product({ quantity: 3 }), 1]);
    const res = await host.call('POST', `/api/order/updateorderstatus/${order.orderHeaderId}`, {
      body: JSON.stringify('Cancelled'),
      contentType: 'application/json',
      token: storefront.customer.token,
      headers: { traceparent },
    });
    assert.equal(res.status, 200, res.text);

    const rows = await host.platform
      .database<OrdersTables>('orders')
      .db.selectFrom('outbox')
      .select('body')
      .where('event_name', '=', 'OrderCancelled')
      .execute();
    const message = rows
      .map((r) => JSON.parse(r.body) as { traceparent?: string; data: { orderId: number } })
      .find((m) => m.data.orderId === order.orderHeaderId);
    assert.match(message?.traceparent ?? '', new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));

    await host.settle();
    const consumerLines = host.logs.filter((l) => l.fields['consumer'] && l.fields['traceId'] === traceId);
    assert.ok(
      consumerLines.some((l) => /released the stock/.test(l.msg)),
      'the catalog consumer logged under the same trace id',
    );
  });
});
