import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../../shared/http/errors.js';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import { commitStock, getPrices, getProducts, releaseStock, reserveStock } from '../catalog.client.js';
import type { CatalogTables } from '../catalog.tables.js';
import '../index.js';
import { aProduct, CatalogFixture } from './catalog.builders.js';

let host: TestHost;
let shop: CatalogFixture;
before(async () => {
  host = await startTestHost();
  shop = new CatalogFixture(host);
});
after(() => host.close());

const db = () => host.platform.database<CatalogTables>('catalog').db;
let nextOrderId = 1000;
const anOrderId = () => ++nextOrderId;
/** On hand, held by orders, and sold: the product's stock as the catalog keeps it. */
const stockOf = async (id: number) => {
  const row = await db()
    .selectFrom('products')
    .select(['quantity', 'reserved_quantity', 'sold_count'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { onHand: row.quantity, reserved: row.reserved_quantity, sold: row.sold_count };
};
const reservationsOf = (orderId: number) =>
  db()
    .selectFrom('stock_reservations')
    .select(['product_id', 'quantity', 'status'])
    .where('order_id', '=', orderId)
    .orderBy('product_id')
    .execute();
const productWithStock = (quantity: number) => shop.product(aProduct().withQuantity(quantity));

describe('reserveStock', () => {
  it('holds every line of an order, leaving the units on hand', async () => {
    const [a, b] = [await productWithStock(5), await productWithStock(3)];
    const orderId = anOrderId();
    assert.deepEqual(
      await reserveStock(orderId, [
        { productId: a, quantity: 2 },
        { productId: b, quantity: 3 },
      ]),
      { ok: true, alreadyReserved: false },
    );
    assert.deepEqual(await stockOf(a), { onHand: 5, reserved: 2, sold: 0 });
    assert.deepEqual(await stockOf(b), { onHand: 3, reserved: 3, sold: 0 });
    assert.deepEqual(await reservationsOf(orderId), [
      { product_id: a, quantity: 2, status: 'reserved' },
      { product_id: b, quantity: 3, status: 'reserved' },
    ]);
  });

  it('reserves nothing when the second line lacks stock, and says which product and why', async () => {
    const [a, b] = [
      await productWithStock(5),
      await shop.product(aProduct().named('Scarce Lamp').withQuantity(3)),
    ];
    await reserveStock(anOrderId(), [{ productId: b, quantity: 2 }]);
    const orderId = anOrderId();
    const outcome = await reserveStock(orderId, [
      { productId: a, quantity: 2 },
      { productId: b, quantity: 2 },
    ]);
    assert.deepEqual(outcome, {
      ok: false,
      reason: 'insufficient_stock',
      productId: b,
      available: 1,
      message: 'Only 1 of "Scarce Lamp" left; you asked for 2.',
    });
    assert.deepEqual(await stockOf(a), { onHand: 5, reserved: 0, sold: 0 });
    assert.deepEqual(await stockOf(b), { onHand: 3, reserved: 2, sold: 0 });
    assert.deepEqual(await reservationsOf(orderId), []);
  });

  it('refuses a deleted or unknown product as not for sale', async () => {
    const gone = await productWithStock(5);
    await host.call('DELETE', `/api/product/${gone}`, { token: shop.token });
    const deleted = await reserveStock(anOrderId(), [{ productId: gone, quantity: 1 }]);
    assert.equal(deleted.ok, false);
    assert.equal(!deleted.ok && deleted.reason, 'not_for_sale');
    assert.deepEqual(await stockOf(gone), { onHand: 5, reserved: 0, sold: 0 });
    const unknown = await reserveStock(anOrderId(), [{ productId: 987654, quantity: 1 }]);
    assert.equal(!unknown.ok && unknown.reason, 'not_for_sale');
  });

  it('adds up two lines of the same product', async () => {
    const a = await productWithStock(5);
    const orderId = anOrderId();
    await reserveStock(orderId, [
      { productId: a, quantity: 2 },
      { productId: a, quantity: 1 },
    ]);
    assert.equal((await stockOf(a)).reserved, 3);
    assert.deepEqual(await reservationsOf(orderId), [{ product_id: a, quantity: 3, status: 'reserved' }]);
  });

  it('has no second effect when repeated for the same order, even concurrently', async () => {
    const a = await productWithStock(10);
    const orderId = anOrderId();
    const line = [{ productId: a, quantity: 4 }];
    assert.deepEqual(await reserveStock(orderId, line), { ok: true, alreadyReserved: false });
    assert.deepEqual(await reserveStock(orderId, line), { ok: true, alreadyReserved: true });
    const racing = await Promise.all(Array.from({ length: 10 }, () => reserveStock(orderId, line)));
    assert.ok(racing.every((o) => o.ok && o.alreadyReserved));
    assert.deepEqual(await stockOf(a), { onHand: 10, reserved: 4, sold: 0 });
  });

  it('answers a repeat as already reserved even when the stock has run out since', async () => {
    const a = await productWithStock(2);
    const orderId = anOrderId();
    await reserveStock(orderId, [{ productId: a, quantity: 2 }]);
    assert.deepEqual(await reserveStock(orderId, [{ productId: a, quantity: 2 }]), {
      ok: true,
      alreadyReserved: true,
    });
  });

  it('gives exactly 5 of 50 simultaneous one-unit orders a stock of 5, and commits them to 0 on hand', async () => {
    const a = await productWithStock(5);
    const orderIds = Array.from({ length: 50 }, anOrderId);
    const outcomes = await Promise.all(
      orderIds.map((orderId) => reserveStock(orderId, [{ productId: a, quantity: 1 }])),
    );
    assert.equal(outcomes.filter((o) => o.ok).length, 5);
    assert.equal(outcomes.filter((o) => !o.ok && o.reason === 'insufficient_stock').length, 45);
    assert.deepEqual(await stockOf(a), { onHand: 5, reserved: 5, sold: 0 });
    assert.equal((await getPrices([a])).get(a)?.quantity, 0, 'nothing is available');

    const winners = orderIds.filter((_, i) => outcomes[i]?.ok);
    const commits = await Promise.all(winners.map((orderId) => commitStock(orderId)));
    assert.ok(commits.every((c) => c.committed === 1));
    assert.deepEqual(await stockOf(a), { onHand: 0, reserved: 0, sold: 5 });
  });

  it('is one conditional UPDATE per line on available stock, checked by rows affected, with no read before it', async () => {
    const [a, b] = [await productWithStock(5), await productWithStock(5)];
    const statements: { sql: string; parameters: readonly unknown[] }[] = [];
    const stop = host.platform.database('catalog').onQuery((q) => statements.push(q));
    try {
      await reserveStock(anOrderId(), [
        { productId: b, quantity: 1 },
        { productId: a, quantity: 2 },
      ]);
    } finally {
      stop();
    }
    const reserve =
      'update "products" set "reserved_quantity" = "reserved_quantity" + ?, "version" = "version" + ? ' +
      'where "id" = ? and "is_deleted" = 0 and "quantity" - "reserved_quantity" >= ?';
    const data = statements.filter((s) => !/^(begin|commit|rollback)/i.test(s.sql));
    assert.deepEqual(
      data.map((s) => (s.sql.startsWith('insert into "stock_reservations"') ? 'insert reservation' : s.sql)),
      [
        reserve,
        'insert reservation',
        reserve,
        'insert reservation',
        // Readers see the new stock: the catalog revision moves in the same transaction.
        'update "catalog_revision" set "revision" = "revision" + ? where "id" = ?',
      ],
    );
    // The amount is both what is added to reserved and what available must cover, in product order.
    assert.deepEqual(
      data.filter((s) => s.sql === reserve).map((s) => s.parameters),
      [
        [2, 1, a, 2],
        [1, 1, b, 1],
      ],
    );
    assert.ok(
      !statements.some((s) => /^select/i.test(s.sql)),
      `no select at all:\n${statements.map((s) => s.sql).join('\n')}`,
    );
  });

  it('refuses malformed requests from other domains', async () => {
    const a = await productWithStock(5);
    const bad: [number, { productId: number; quantity: number }[]][] = [
      [0, [{ productId: a, quantity: 1 }]],
      [anOrderId(), []],
      [anOrderId(), [{ productId: a, quantity: 0 }]],
      [anOrderId(), [{ productId: a, quantity: 1.5 }]],
      [anOrderId(), [{ productId: -1, quantity: 1 }]],
    ];
    for (const [orderId, lines] of bad) {
      await assert.rejects(
        reserveStock(orderId, lines),
        (e: unknown) => e instanceof AppError && e.status === 400,
      );
    }
    assert.deepEqual(await stockOf(a), { onHand: 5, reserved: 0, sold: 0 });
  });
});

describe('releaseStock and commitStock', () => {
  it('release makes the held units available again, once', async () => {
    const a = await productWithStock(5);
    const orderId = anOrderId();
    await reserveStock(orderId, [{ productId: a, quantity: 3 }]);
    assert.deepEqual(await releaseStock(orderId), { released: 1 });
    assert.deepEqual(await stockOf(a), { onHand: 5, reserved: 0, sold: 0 });
    assert.deepEqual(await releaseStock(orderId), { released: 0 });
    assert.deepEqual(await stockOf(a), { onHand: 5, reserved: 0, sold: 0 });
    assert.deepEqual(await reservationsOf(orderId), [{ product_id: a, quantity: 3, status: 'released' }]);
  });

  it('concurrent releases give the units back once', async () => {
    const a = await productWithStock(5);
    const orderId = anOrderId();
    await reserveStock(orderId, [{ productId: a, quantity: 3 }]);
    const results = await Promise.all(Array.from({ length: 8 }, () => releaseStock(orderId)));
    assert.equal(
      results.reduce((n, r) => n + r.released, 0),
      1,
    );
    assert.deepEqual(await stockOf(a), { onHand: 5, reserved: 0, sold: 0 });
  });

  it('a released order cannot be reserved again', async () => {
    const a = await productWithStock(5);
    const orderId = anOrderId();
    await reserveStock(orderId, [{ productId: a, quantity: 1 }]);
    await releaseStock(orderId);
    const again = await reserveStock(orderId, [{ productId: a, quantity: 1 }]);
    assert.equal(!again.ok && again.reason, 'released');
    assert.deepEqual(await stockOf(a), { onHand: 5, reserved: 0, sold: 0 });
  });

  it('commit takes the units off hand and counts them as sold, once', async () => {
    const [a, b] = [await productWithStock(5), await productWithStock(5)];
    const orderId = anOrderId();
    await reserveStock(orderId, [
      { productId: a, quantity: 2 },
      { productId: b, quantity: 1 },
    ]);
    assert.deepEqual(await commitStock(orderId), { committed: 2 });
    assert.deepEqual(await commitStock(orderId), { committed: 0 });
    assert.deepEqual(await stockOf(a), { onHand: 3, reserved: 0, sold: 2 });
    assert.deepEqual(await stockOf(b), { onHand: 4, reserved: 0, sold: 1 });
  });

  it('releasing a committed (paid, then cancelled) order puts its units back on hand, once', async () => {
    const a = await productWithStock(5);
    const orderId = anOrderId();
    await reserveStock(orderId, [{ productId: a, quantity: 2 }]);
    await commitStock(orderId);
    assert.deepEqual(await releaseStock(orderId), { released: 1 });
    assert.deepEqual(await stockOf(a), { onHand: 5, reserved: 0, sold: 0 });
    assert.deepEqual(await releaseStock(orderId), { released: 0 });
    assert.deepEqual(await commitStock(orderId), { committed: 0 });
    assert.deepEqual(await stockOf(a), { onHand: 5, reserved: 0, sold: 0 });
  });

  it('commit after release commits nothing (a cancellation that came first wins)', async () => {
    const a = await productWithStock(5);
    const orderId = anOrderId();
    await reserveStock(orderId, [{ productId: a, quantity: 2 }]);
    await releaseStock(orderId);
    assert.deepEqual(await commitStock(orderId), { committed: 0 });
    assert.deepEqual(await stockOf(a), { onHand: 5, reserved: 0, sold: 0 });
  });

  it('release and commit of an order that reserved nothing do nothing', async () => {
    assert.deepEqual(await releaseStock(anOrderId()), { released: 0 });
    assert.deepEqual(await commitStock(anOrderId()), { committed: 0 });
  });
});

describe('price and product look-ups', () => {
  it('answers prices of many products in one statement, deleted ones marked unavailable', async () => {
    const a = await shop.product(aProduct().named('Priced A').priced('19.95', '25').withQuantity(7));
    const b = await shop.product(aProduct().named('Priced B').priced('5'));
    await host.call('DELETE', `/api/product/${b}`, { token: shop.token });
    const statements: string[] = [];
    const stop = host.platform.database('catalog').onQuery((q) => statements.push(q.sql));
    const prices = await getPrices([a, b, 424242, a]);
    stop();
    assert.equal(statements.length, 1);
    assert.deepEqual(prices.get(a), {
      productId: a,
      name: 'Priced A',
      priceMinor: 1995,
      price: 19.95,
      priceBeforeDiscountMinor: 2500,
      quantity: 7,
      isAvailable: true,
    });
    assert.equal(prices.get(b)?.isAvailable, false);
    assert.equal(prices.has(424242), false);
  });

  it('answers as quantity what is available: on hand minus what orders hold', async () => {
    const a = await productWithStock(7);
    await reserveStock(anOrderId(), [{ productId: a, quantity: 3 }]);
    assert.equal((await getPrices([a])).get(a)?.quantity, 4);
    const products = await getProducts([a], { baseUrl: 'https://api.shop.test' });
    assert.equal(products.get(a)?.quantity, 4);
    const detail = await host.call('GET', `/api/product/${a}`);
    assert.equal((detail.body.data as { quantity: number }).quantity, 4);
  });

  it('batches thousands of ids in a constant number of statements per 1,000', async () => {
    const statements: string[] = [];
    const stop = host.platform.database('catalog').onQuery((q) => statements.push(q.sql));
    await getPrices(Array.from({ length: 1500 }, (_, i) => i + 1));
    stop();
    assert.equal(statements.length, 2);
  });

  it('answers live products in the storefront shape, with image URLs on the given base', async () => {
    const a = await shop.product(aProduct().named('Shown A'));
    const b = await shop.product(aProduct().named('Hidden B'));
    await host.call('DELETE', `/api/product/${b}`, { token: shop.token });
    const statements: string[] = [];
    const stop = host.platform.database('catalog').onQuery((q) => statements.push(q.sql));
    const products = await getProducts([a, b, 0, -3], { baseUrl: 'https://api.shop.test' });
    stop();
    assert.deepEqual([...products.keys()], [a]);
    assert.equal(products.get(a)?.name, 'Shown A');
    assert.match(products.get(a)?.images[0]?.url ?? '', /^https:\/\/api\.shop\.test\/media\/products\//);
    assert.equal(statements.length, 2);
  });
});
