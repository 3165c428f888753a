import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import { catalogDeps } from '../catalog.deps.js';
import type { Product } from '../catalog.schemas.js';
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

const viewsOf = async (id: number) =>
  (
    await host.platform
      .database<CatalogTables>('catalog')
      .db.selectFrom('products')
      .select('view_count')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).view_count;

describe('GET /api/product/{id}', () => {
  it('answers the product in the envelope', async () => {
    const id = await shop.product(aProduct().named('Lumen Tab 11').priced('549', '629'));
    const res = await host.call('GET', `/api/product/${id}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.isSuccess, true);
    const product = res.body.data as Product;
    assert.deepEqual(
      [product.id, product.name, product.price, product.priceBeforeDiscount],
      [id, 'Lumen Tab 11', 549, 629],
    );
    assert.equal(product.images.length, 1);
  });

  it('answers 404 with a message for an unknown id', async () => {
    const res = await host.call('GET', '/api/product/999999');
    assert.equal(res.status, 404);
    assert.deepEqual([res.body.isSuccess, res.body.data, res.body.code], [false, null, 'not_found']);
    assert.match(res.body.message, /No product has that id/);
  });

  for (const bad of ['0', '-1']) {
    it(`answers 400 with a message for the id "${bad}"`, async () => {
      const res = await host.call('GET', `/api/product/${bad}`);
      assert.equal(res.status, 400);
      assert.match(res.body.message, /Product id must be a positive whole number/);
    });
  }

  // The route is product/{id:int}, as on the Functions host: a path that is not a 32-bit number
  // reaches no route (404 there and here), which also keeps product/brands its own.
  for (const bad of ['abc', '1.5', '99999999999']) {
    it(`answers 404 for the path product/${bad}, which no route matches`, async () => {
      const res = await host.call('GET', `/api/product/${bad}`);
      assert.equal(res.status, 404);
      assert.equal(res.body.code, 'not_found');
    });
  }

  it('leaves product/brands and product/categories to their own routes', async () => {
    for (const path of ['/api/product/brands', '/api/product/CATEGORIES']) {
      const res = await host.call('GET', path);
      assert.equal(res.status, 200, path);
      assert.ok(Array.isArray(res.body.data), path);
    }
  });

  it('ignores the Authorization header (a stale token never breaks browsing)', async () => {
    const id = await shop.product(aProduct());
    const res = await host.call('GET', `/api/product/${id}`, { headers: { authorization: 'Bearer stale' } });
    assert.equal(res.status, 200);
  });
});

describe('view counting', () => {
  const views = () => catalogDeps(host.platform).views;

  it('counts one view per detail request, in memory until the flush', async () => {
    const id = await shop.product(aProduct());
    await host.call('GET', `/api/product/${id}`);
    await host.call('GET', `/api/product/${id}`);
    assert.equal(views().pending(id), 2);
    assert.equal(await viewsOf(id), 0);
    await views().flush();
    assert.equal(views().pending(id), 0);
    assert.equal(await viewsOf(id), 2);
  });

  it('loses no view under concurrent requests', async () => {
    const id = await shop.product(aProduct());
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => host.call('GET', `/api/product/${id}`)),
    );
    assert.ok(answers.every((r) => r.status === 200));
    await views().flush();
    assert.equal(await viewsOf(id), 40);
  });

  it('writes nothing while answering a detail request', async () => {
    const id = await shop.product(aProduct());
    await host.call('GET', `/api/product/${id}`);
    const statements: string[] = [];
    const stop = host.platform.database('catalog').onQuery((q) => statements.push(q.sql));
    await host.call('GET', `/api/product/${id}`);
    stop();
    assert.deepEqual(statements, ['select "revision" from "catalog_revision" where "id" = ?']);
  });

  it('flushes one statement per viewed product that adds to the stored count, without a revision bump', async () => {
    const [a, b] = [await shop.product(aProduct()), await shop.product(aProduct())];
    await views().flush();
    for (const id of [a, a, a, b, b]) await host.call('GET', `/api/product/${id}`);
    const statements: { sql: string; parameters: readonly unknown[] }[] = [];
    const stop = host.platform.database('catalog').onQuery((q) => statements.push(q));
    await views().flush();
    stop();
    const add = 'update "products" set "view_count" = "view_count" + ? where "id" = ? and "is_deleted" = 0';
    assert.deepEqual(
      statements.map((s) => [s.sql, s.parameters.slice(0, 2)]),
      [
        [add, [3, a]],
        [add, [2, b]],
      ],
    );
    assert.deepEqual([await viewsOf(a), await viewsOf(b)], [3, 2]);
  });

  it('counts nothing for a deleted product', async () => {
    const id = await shop.product(aProduct());
    await host.call('DELETE', `/api/product/${id}`, { token: shop.token });
    assert.equal((await host.call('GET', `/api/product/${id}`)).status, 404);
    assert.equal(views().pending(id), 0);
    await views().flush();
    assert.equal(await viewsOf(id), 0);
  });
});
