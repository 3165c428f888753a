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
const stockOf = async (id: number) =>
  db()
    .selectFrom('products')
    .select(['quantity', 'sold_count'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
const reservationsOf = (orderId: number) =>
  db()
    .selectFrom('stock_reservations')
    .select(['product_id', 'quantity', 'status'])
    .where('order_id', '=', orderId)
    .orderBy('product_id')
    .execute();
const productWithStock = (quantity: number) => shop.product(aProduct().withQuantity(quantity));

describe('reserveStock', () => {
  it('reserves every line of an order', async () => {
    const [a, b] = [await productWithStock(5), await productWithStock(3)];
    const orderId = anOrderId();
    assert.deepEqual(
      await reserveStock(orderId, [
        { productId: a, quantity: 2 },
        { productId: b, quantity: 3 },
      ]),
      { ok: true, alreadyReserved: false },
    );
    assert.equal((await stockOf(a)).quantity, 3);
    assert.equal((await stockOf(b)).quantity, 0);
    assert.deepEqual(await reservationsOf(orderId), [
      { product_id: a, quantity: 2, status: 'reserved' },
      { product_id: b, quantity: 3, status: 'reserved' },
    ]);
  });

  it('reserves nothing when the second line lacks stock, and says which product and why', async () => {
    const [a, b] = [
      await productWithStock(5),
      await shop.product(aProduct().named('Scarce Lamp').withQuantity(1)),
    ];
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
    assert.equal((await stockOf(a)).quantity, 5);
    assert.equal((await stockOf(b)).quantity, 1);
    assert.deepEqual(await reservationsOf(orderId), []);
  });

  it('refuses a deleted or unknown product as not for sale', async () => {
    const gone = await productWithStock(5);
    await host.call('DELETE', `/api/product/${gone}`, { token: shop.token });
    const deleted = await reserveStock(anOrderId(), [{ productId: gone, quantity: 1 }]);
    assert.equal(deleted.ok, false);
    assert.equal(!deleted.ok && deleted.reason, 'not_for_sale');
    assert.equal((await stockOf(gone)).quantity, 5);
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
    assert.equal((await stockOf(a)).quantity, 2);
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
    assert.equal((await stockOf(a)).quantity, 6);
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

  it('gives exactly 10 of 50 simultaneous one-unit orders a stock of 10', async () => {
    const a = await productWithStock(10);
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () => reserveStock(anOrderId(), [{ productId: a, quantity: 1 }])),
    );
    assert.equal(outcomes.filter((o) => o.ok).length, 10);
    assert.equal(outcomes.filter((o) => !o.ok && o.reason === 'insufficient_stock').length, 40);
    assert.equal((await stockOf(a)).quantity, 0);
    const rows = await db()
      .selectFrom('stock_reservations')
      .select('id')
      .where('product_id', '=', a)
      .execute();
    assert.equal(rows.length, 10);
  });

  it('is one conditional UPDATE per line checked by rows affected, with no read of the quantity before it', async () => {
    const [a, b] = [await productWithStock(5), await productWithStock(5)];
    const statements: string[] = [];
    const stop = host.platform.database('catalog').onQuery((q) => statements.push(q.sql));
    try {
      await reserveStock(anOrderId(), [
        { productId: b, quantity: 1 },
        { productId: a, quantity: 2 },
      ]);
    } finally {
      stop();
    }
    const take =
      'update "products" set "quantity" = "quantity" - ? where "id" = ? and "quantity" >= ? and "is_deleted" = ?';
    const data = statements.filter((s) => !/^(begin|commit|rollback)/i.test(s));
    assert.deepEqual(
      data.map((s) => (s.startsWith('insert into "stock_reservations"') ? 'insert reservation' : s)),
      [take, 'insert reservation', take, 'insert reservation'],
    );
    assert.ok(!statements.some((s) => /^select/i.test(s)), `no select at all:\n${statements.join('\n')}`);
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
    assert.equal((await stockOf(a)).quantity, 5);
  });
});

describe('releaseStock and commitStock', () => {
  it('release gives the units back, once', async () => {
    const a = await productWithStock(5);
    const orderId = anOrderId();
    await reserveStock(orderId, [{ productId: a, quantity: 3 }]);
    assert.deepEqual(await releaseStock(orderId), { released: 1 });
    assert.equal((await stockOf(a)).quantity, 5);
    assert.deepEqual(await releaseStock(orderId), { released: 0 });
    assert.equal((await stockOf(a)).quantity, 5);
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
    assert.equal((await stockOf(a)).quantity, 5);
  });

  it('a released order cannot be reserved again', async () => {
    const a = await productWithStock(5);
    const orderId = anOrderId();
    await reserveStock(orderId, [{ productId: a, quantity: 1 }]);
    await releaseStock(orderId);
    const again = await reserveStock(orderId, [{ productId: a, quantity: 1 }]);
    assert.equal(!again.ok && again.reason, 'released');
    assert.equal((await stockOf(a)).quantity, 5);
  });

  it('commit counts the units as sold, once; a later release changes nothing', async () => {
    const [a, b] = [await productWithStock(5), await productWithStock(5)];
    const orderId = anOrderId();
    await reserveStock(orderId, [
      { productId: a, quantity: 2 },
      { productId: b, quantity: 1 },
    ]);
    assert.deepEqual(await commitStock(orderId), { committed: 2 });
    assert.deepEqual(await commitStock(orderId), { committed: 0 });
    assert.deepEqual(await releaseStock(orderId), { released: 0 });
    assert.deepEqual(await stockOf(a), { quantity: 3, sold_count: 2 });
    assert.deepEqual(await stockOf(b), { quantity: 4, sold_count: 1 });
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
