import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import { releaseStock, reserveStock } from '../catalog.client.js';
import type { Product } from '../catalog.schemas.js';
import type { CatalogTables } from '../catalog.tables.js';
import '../index.js';
import { aProduct, CatalogFixture } from './catalog.builders.js';

/** An ADMIN's product form and the stock that orders hold: the form sets what is available. */

let host: TestHost;
let shop: CatalogFixture;
before(async () => {
  host = await startTestHost();
  shop = new CatalogFixture(host);
});
after(() => host.close());

let nextOrderId = 5000;
const anOrderId = () => ++nextOrderId;
const detail = async (id: number) => (await host.call('GET', `/api/product/${id}`)).body.data as Product;
const stockOf = async (id: number) => {
  const row = await host.platform
    .database<CatalogTables>('catalog')
    .db.selectFrom('products')
    .select(['quantity', 'reserved_quantity', 'version'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return {
    onHand: row.quantity,
    reserved: row.reserved_quantity,
    available: row.quantity - row.reserved_quantity,
    version: row.version,
  };
};
const saveForm = (values: Record<string, string | number>) => {
  const form = new FormData();
  for (const [key, value] of Object.entries(values)) form.append(key, String(value));
  return host.call('PUT', '/api/product', { form, token: shop.token });
};

describe('an ADMIN saving the product form while orders hold stock', () => {
  it('sets what is available and keeps every unit the orders hold', async () => {
    const id = await shop.product(aProduct().withQuantity(10));
    const orderId = anOrderId();
    assert.equal((await reserveStock(orderId, [{ productId: id, quantity: 3 }])).ok, true);
    assert.equal((await detail(id)).quantity, 7, 'the form shows what is available');

    // Created at version 1; the reservation and each save and release bump it.
    assert.equal((await saveForm({ id, quantity: 7 })).status, 200);
    assert.deepEqual(await stockOf(id), { onHand: 10, reserved: 3, available: 7, version: 3 });

    assert.equal((await saveForm({ id, quantity: 20 })).status, 200);
    assert.deepEqual(await stockOf(id), { onHand: 23, reserved: 3, available: 20, version: 4 });

    assert.deepEqual(await releaseStock(orderId), { released: 1 });
    assert.deepEqual(await stockOf(id), { onHand: 23, reserved: 0, available: 23, version: 5 });
    assert.equal((await detail(id)).quantity, 23);
  });

  it('keeps the reservations when the form changes other fields only', async () => {
    const id = await shop.product(aProduct().withQuantity(10));
    await reserveStock(anOrderId(), [{ productId: id, quantity: 4 }]);
    assert.equal((await saveForm({ id, name: 'Renamed Lamp' })).status, 200);
    const stock = await stockOf(id);
    assert.deepEqual([stock.onHand, stock.reserved, stock.available], [10, 4, 6]);
  });

  it('lets a zero-available form leave the held units on hand for their orders', async () => {
    const id = await shop.product(aProduct().withQuantity(5));
    await reserveStock(anOrderId(), [{ productId: id, quantity: 2 }]);
    assert.equal((await saveForm({ id, quantity: 0 })).status, 200);
    const stock = await stockOf(id);
    assert.deepEqual([stock.onHand, stock.reserved, stock.available], [2, 2, 0]);
    const outcome = await reserveStock(anOrderId(), [{ productId: id, quantity: 1 }]);
    assert.equal(!outcome.ok && outcome.reason, 'insufficient_stock');
  });
});

describe('the product form version (optimistic concurrency)', () => {
  it('starts at 1 and is shown with the product', async () => {
    const id = await shop.product(aProduct());
    assert.equal((await detail(id)).version, 1);
  });

  it('accepts a save at the current version and bumps it', async () => {
    const id = await shop.product(aProduct().withQuantity(8));
    const { version } = await detail(id);
    const res = await saveForm({ id, version, quantity: 6, price: '12.50' });
    assert.equal(res.status, 200, res.text);
    const after = await detail(id);
    assert.deepEqual([after.quantity, after.price, after.version], [6, 12.5, version + 1]);
  });

  it('refuses a form loaded before an order reserved stock (409) and changes nothing', async () => {
    const id = await shop.product(aProduct().named('Busy Kettle').priced('30').withQuantity(8));
    const loaded = await detail(id);
    await reserveStock(anOrderId(), [{ productId: id, quantity: 1 }]);
    const before = await stockOf(id);

    const res = await saveForm({ id, version: loaded.version, quantity: 8, name: 'Stale Kettle' });
    assert.equal(res.status, 409, res.text);
    assert.equal(res.body.code, 'conflict');
    assert.equal(res.body.type, 'version');
    assert.match(res.body.message, /changed since the form was loaded.*Reload/);
    assert.deepEqual(await stockOf(id), before);
    const now = await detail(id);
    assert.deepEqual([now.name, now.price, now.quantity], ['Busy Kettle', 30, 7]);
  });

  it('refuses a form loaded before another edit (409) and changes nothing', async () => {
    const id = await shop.product(aProduct().named('Shared Desk').withQuantity(4));
    const loaded = await detail(id);
    assert.equal((await saveForm({ id, version: loaded.version, quantity: 9 })).status, 200);

    const stale = await saveForm({ id, version: loaded.version, quantity: 1, name: 'Lost Edit' });
    assert.equal(stale.status, 409, stale.text);
    const now = await detail(id);
    assert.deepEqual([now.name, now.quantity, now.version], ['Shared Desk', 9, loaded.version + 1]);
  });

  it('keeps the storefront working without a version: the edit applies to the current product', async () => {
    const id = await shop.product(aProduct().withQuantity(4));
    await reserveStock(anOrderId(), [{ productId: id, quantity: 1 }]);
    assert.equal((await saveForm({ id, quantity: 2 })).status, 200);
    const stock = await stockOf(id);
    assert.deepEqual([stock.onHand, stock.reserved, stock.available], [3, 1, 2]);
  });

  it('refuses a version that is not a positive whole number (400)', async () => {
    const id = await shop.product(aProduct());
    const res = await saveForm({ id, version: 'latest' });
    assert.equal(res.status, 400);
    assert.equal(res.body.type, 'version');
  });
});
