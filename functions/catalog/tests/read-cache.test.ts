import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../../shared/config/config.js';
import { createPlatform, type Platform } from '../../../shared/platform/platform.js';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import { renameNamed } from '../brands-categories.service.js';
import { commitStock, releaseStock, reserveStock } from '../catalog.client.js';
import { catalogDeps } from '../catalog.deps.js';
import { refreshCards } from '../cards.service.js';
import * as repo from '../catalog.repository.js';
import type { Product, ProductPage } from '../catalog.schemas.js';
import type { CatalogTables } from '../catalog.tables.js';
import '../index.js';
import { aProduct, CatalogFixture } from './catalog.builders.js';

/**
 * The read cache (CATALOG_CACHE=on, the default): every write a reader would see is visible on the
 * very next read, from this instance or another, and a 304 answers only an unchanged answer.
 */
let host: TestHost;
let shop: CatalogFixture;
before(async () => {
  host = await startTestHost();
  shop = new CatalogFixture(host);
});
after(() => host.close());

const db = () => host.platform.database<CatalogTables>('catalog').db;
const detail = async (id: number) => {
  const res = await host.call('GET', `/api/product/${id}`);
  assert.equal(res.status, 200, res.text);
  return res.body.data as Product;
};
const page = async (query: string) =>
  (await host.call('GET', `/api/product${query}`)).body.data as ProductPage;
let orderIds = 5000;

async function update(id: number, fields: Record<string, string>) {
  const form = new FormData();
  form.set('id', String(id));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const res = await host.call('PUT', '/api/product', { form, token: shop.token });
  assert.equal(res.status, 200, res.text);
}

describe('every write is visible on the very next read', () => {
  it('a product edit', async () => {
    const id = await shop.product(aProduct().named('Cache Lamp'));
    assert.equal((await detail(id)).name, 'Cache Lamp');
    await update(id, { name: 'Cache Lamp Pro' });
    assert.equal((await detail(id)).name, 'Cache Lamp Pro');
  });

  it('a price change, on the list', async () => {
    const id = await shop.product(aProduct().named('Priced Kettle').priced('40'));
    const query = '?search=priced kettle';
    assert.equal((await page(query)).data[0]?.price, 40);
    await update(id, { price: '35.5' });
    assert.equal((await page(query)).data[0]?.price, 35.5);
  });

  it('a stock change from an order: reserved, paid, cancelled', async () => {
    const id = await shop.product(aProduct().withQuantity(10));
    assert.equal((await detail(id)).quantity, 10);
    const orderId = orderIds++;
    assert.deepEqual(await reserveStock(orderId, [{ productId: id, quantity: 3 }]), {
      ok: true,
      alreadyReserved: false,
    });
    assert.equal((await detail(id)).quantity, 7);
    await commitStock(orderId);
    assert.deepEqual([(await detail(id)).quantity, (await detail(id)).sold], [7, 3]);
    await releaseStock(orderId);
    assert.deepEqual([(await detail(id)).quantity, (await detail(id)).sold], [10, 0]);
  });

  it('a soft delete', async () => {
    const id = await shop.product(aProduct().named('Fleeting Fan'));
    assert.equal((await page('?search=fleeting')).count, 1);
    await detail(id);
    assert.equal((await host.call('DELETE', `/api/product/${id}`, { token: shop.token })).status, 200);
    assert.equal((await page('?search=fleeting')).count, 0);
    assert.equal((await host.call('GET', `/api/product/${id}`)).status, 404);
  });

  it('a brand rename, on the product and the brand list', async () => {
    const brandId = await shop.brand('Oldname Audio');
    const id = await shop.product(aProduct().ofBrand(brandId));
    assert.equal((await detail(id)).brandName, 'Oldname Audio');
    await host.call('GET', '/api/product/brands');
    const res = await host.call('PUT', '/api/product/brands', {
      json: { id: brandId, name: 'Newname Audio' },
      token: shop.token,
    });
    assert.equal(res.status, 200, res.text);
    assert.equal((await detail(id)).brandName, 'Newname Audio');
    const brands = (await host.call('GET', '/api/product/brands')).body.data as { name: string }[];
    assert.ok(brands.some((b) => b.name === 'Newname Audio'));
  });
});

describe('ETag and If-None-Match', () => {
  it('answers 304 without a body only while nothing changed, and a new ETag after a write', async () => {
    const id = await shop.product(aProduct().named('Tagged Toaster'));
    const first = await host.call('GET', `/api/product/${id}`);
    const etag = first.headers.get('etag') ?? '';
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/);
    assert.equal(first.headers.get('cache-control'), 'no-cache');

    const again = await host.call('GET', `/api/product/${id}`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
    assert.equal(again.headers.get('etag'), etag);

    const other = await host.call('GET', `/api/product/${id}`, { headers: { 'if-none-match': '"nope"' } });
    assert.equal(other.status, 200);

    await update(id, { description: '<p>Now with crumbs tray.</p>' });
    const changed = await host.call('GET', `/api/product/${id}`, { headers: { 'if-none-match': etag } });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
    assert.equal((changed.body.data as Product).description, '<p>Now with crumbs tray.</p>');
  });

  it('sends the same body bytes from the cache as when it built them', async () => {
    const id = await shop.product(aProduct());
    const built = await host.call('GET', `/api/product/${id}`);
    const cached = await host.call('GET', `/api/product/${id}`);
    assert.equal(cached.text, built.text);
    assert.deepEqual(Object.keys(cached.body), ['data', 'isSuccess', 'message', 'type']);
  });
});

describe('another instance', () => {
  let other: Platform;
  before(async () => {
    other = await createPlatform(loadConfig({ DATA_DIR: host.dataDir, LOG_LEVEL: 'error' }), {
      clock: host.clock,
    });
  });
  after(() => other.close());

  it('never serves a page older than a commit made by another platform over the same database', async () => {
    const brandId = await shop.brand('Elsewhere Co');
    const id = await shop.product(aProduct().ofBrand(brandId));
    assert.equal((await detail(id)).brandName, 'Elsewhere Co');
    await renameNamed(catalogDeps(other), 'brands', brandId, 'Elsewhere Ltd');
    assert.equal((await detail(id)).brandName, 'Elsewhere Ltd');
  });

  it('serves a direct change as soon as the revision moves (and, by design, not before)', async () => {
    const id = await shop.product(aProduct().named('Direct Drill'));
    await detail(id);
    // A change made beside the service writes the card as the service does (cards.service.ts).
    await db().updateTable('products').set({ name: 'Direct Drill 2' }).where('id', '=', id).execute();
    await refreshCards(db(), [id]);
    assert.equal((await detail(id)).name, 'Direct Drill', 'served from the cache: the revision did not move');
    await repo.bumpRevision(db());
    assert.equal((await detail(id)).name, 'Direct Drill 2');
  });
});
