import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { OrderCancelled, OrderPaid } from '../../../shared/events/catalogue.js';
import { consumeMessage } from '../../../shared/events/consumer.js';
import type { EventDefinition, EventMessage } from '../../../shared/events/define.js';
import { enqueueEvent } from '../../../shared/events/outbox.js';
import type { MessagingTables } from '../../../shared/events/outbox.tables.js';
import { registry } from '../../../shared/functions/registry.js';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import { reserveStock } from '../catalog.client.js';
import type { CatalogTables } from '../catalog.tables.js';
import '../index.js';
import { onOrderPaid } from '../messages/on-order-paid.js';
import {
  anOrderCancelled,
  anOrderPaid,
  aProduct,
  CatalogFixture,
  type OrderLine,
} from './catalog.builders.js';

/** The catalog's reactions to orders, delivered through the outbox and the embedded bus. */

let host: TestHost;
let shop: CatalogFixture;
before(async () => {
  host = await startTestHost();
  shop = new CatalogFixture(host);
});
after(() => host.close());

const catalog = () => host.platform.database<CatalogTables>('catalog');
let nextOrderId = 9000;
const anOrderId = () => ++nextOrderId;

const stockOf = async (id: number) => {
  const row = await catalog()
    .db.selectFrom('products')
    .select(['quantity', 'reserved_quantity', 'sold_count'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { onHand: row.quantity, reserved: row.reserved_quantity, sold: row.sold_count };
};
const statusesOf = async (orderId: number) =>
  (
    await catalog()
      .db.selectFrom('stock_reservations')
      .select('status')
      .where('order_id', '=', orderId)
      .orderBy('product_id')
      .execute()
  ).map((r) => r.status);

/**
 * Writes the event to an outbox (the catalog database's: any domain's would do, the bus routes by
 * topic) and delivers everything. Returns the message, to deliver it again.
 */
async function send<T>(definition: EventDefinition<T>, data: T): Promise<EventMessage> {
  const message = await catalog()
    .db.transaction()
    // The kernel's outbox helpers are typed for the outbox tables alone (Kysely types are invariant).
    .execute((trx) => enqueueEvent(trx as unknown as Kysely<MessagingTables>, definition, data, host.clock));
  await host.settle();
  return message;
}

/** A product with `stock` units and an order holding `count` of them. */
async function reservedOrder(stock: number, count: number) {
  const productId = await shop.product(aProduct().withQuantity(stock));
  const orderId = anOrderId();
  const lines: OrderLine[] = [{ productId, count }];
  assert.equal((await reserveStock(orderId, [{ productId, quantity: count }])).ok, true);
  return { productId, orderId, lines };
}

describe('the catalog consumers', () => {
  it('subscribe to OrderPaid and OrderCancelled on the orders topic', () => {
    const ours = registry.consumers
      .filter((c) => c.name.startsWith('catalog-'))
      .map((c) => [c.name, c.event.topic, c.event.name]);
    assert.deepEqual(ours, [
      ['catalog-commit-stock', 'orders', 'OrderPaid'],
      ['catalog-release-stock', 'orders', 'OrderCancelled'],
    ]);
  });

  it('OrderPaid commits the order: the units leave the shelf and count as sold', async () => {
    const { productId, orderId, lines } = await reservedOrder(5, 2);
    const message = await send(OrderPaid, anOrderPaid(orderId, lines));

    assert.deepEqual(await stockOf(productId), { onHand: 3, reserved: 0, sold: 2 });
    assert.deepEqual(await statusesOf(orderId), ['committed']);
    const delivery = host.platform
      .bus!.deliveries({ subscription: 'catalog-commit-stock' })
      .find((d) => d.message_id === message.id);
    assert.equal(delivery?.status, 'done');
  });

  it('OrderCancelled of an unpaid order makes its units available again', async () => {
    const { productId, orderId, lines } = await reservedOrder(5, 2);
    await send(OrderCancelled, anOrderCancelled(orderId, lines));

    assert.deepEqual(await stockOf(productId), { onHand: 5, reserved: 0, sold: 0 });
    assert.deepEqual(await statusesOf(orderId), ['released']);
  });

  it('OrderCancelled of a paid order puts its units back on hand and takes them off sold', async () => {
    const { productId, orderId, lines } = await reservedOrder(5, 2);
    await send(OrderPaid, anOrderPaid(orderId, lines));
    await send(OrderCancelled, anOrderCancelled(orderId, lines, true));

    assert.deepEqual(await stockOf(productId), { onHand: 5, reserved: 0, sold: 0 });
    assert.deepEqual(await statusesOf(orderId), ['released']);
  });

  it('OrderCancelled arriving before OrderPaid leaves the stock released and nothing committed', async () => {
    const { productId, orderId, lines } = await reservedOrder(5, 2);
    await send(OrderCancelled, anOrderCancelled(orderId, lines));
    await send(OrderPaid, anOrderPaid(orderId, lines));

    assert.deepEqual(await stockOf(productId), { onHand: 5, reserved: 0, sold: 0 });
    assert.deepEqual(await statusesOf(orderId), ['released']);
  });

  it('changes nothing for an order the catalog holds no stock for', async () => {
    const productId = await shop.product(aProduct().withQuantity(4));
    const lines = [{ productId, count: 1 }];
    await send(OrderPaid, anOrderPaid(anOrderId(), lines));
    await send(OrderCancelled, anOrderCancelled(anOrderId(), lines, true));
    assert.deepEqual(await stockOf(productId), { onHand: 4, reserved: 0, sold: 0 });
  });
});

describe('repeated order events', () => {
  it('a message delivered twice is processed once (the inbox)', async () => {
    const { productId, orderId, lines } = await reservedOrder(5, 2);
    const message: EventMessage = {
      id: randomUUID(),
      name: OrderPaid.name,
      version: OrderPaid.version,
      topic: OrderPaid.topic,
      occurredAt: host.clock.now().toISOString(),
      data: anOrderPaid(orderId, lines),
    };
    const env = { clock: host.clock, log: host.platform.log };
    assert.deepEqual(
      [await consumeMessage(onOrderPaid, message, env), await consumeMessage(onOrderPaid, message, env)],
      ['processed', 'duplicate'],
    );
    assert.deepEqual(await stockOf(productId), { onHand: 3, reserved: 0, sold: 2 });
  });

  it('the same message published again through the bus changes nothing', async () => {
    const { productId, orderId, lines } = await reservedOrder(5, 2);
    const message = await send(OrderCancelled, anOrderCancelled(orderId, lines));
    await host.platform.transport.publish(message.topic, [message]);
    await host.settle();
    assert.deepEqual(await stockOf(productId), { onHand: 5, reserved: 0, sold: 0 });
  });

  it('the same event sent twice under new message ids commits and releases once', async () => {
    const { productId, orderId, lines } = await reservedOrder(6, 2);
    await send(OrderPaid, anOrderPaid(orderId, lines));
    await send(OrderPaid, anOrderPaid(orderId, lines));
    assert.deepEqual(await stockOf(productId), { onHand: 4, reserved: 0, sold: 2 });

    await send(OrderCancelled, anOrderCancelled(orderId, lines, true));
    await send(OrderCancelled, anOrderCancelled(orderId, lines, true));
    assert.deepEqual(await stockOf(productId), { onHand: 6, reserved: 0, sold: 0 });

    await send(OrderPaid, anOrderPaid(orderId, lines));
    assert.deepEqual(await stockOf(productId), { onHand: 6, reserved: 0, sold: 0 });
  });
});
