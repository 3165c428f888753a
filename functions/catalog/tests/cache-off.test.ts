import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import type { Product } from '../catalog.schemas.js';
import { refreshCards } from '../cards.service.js';
import type { CatalogTables } from '../catalog.tables.js';
import '../index.js';
import { aProduct, CatalogFixture } from './catalog.builders.js';

/** CATALOG_CACHE=off: every read runs its queries, with no revision check and no ETag. */
let host: TestHost;
before(async () => {
  host = await startTestHost({ env: { CATALOG_CACHE: 'off' } });
});
after(() => host.close());

it('reads the database every time, without a revision check or an ETag', async () => {
  const id = await new CatalogFixture(host).product(aProduct().named('Uncached Umbrella'));
  const first = await host.call('GET', `/api/product/${id}`);
  assert.equal(first.headers.get('etag'), null);
  assert.equal(first.headers.get('cache-control'), 'no-cache');
  // A change made beside the service writes the card as the service does (cards.service.ts).
  const { db } = host.platform.database<CatalogTables>('catalog');
  await db.updateTable('products').set({ name: 'Uncached Umbrella 2' }).where('id', '=', id).execute();
  await refreshCards(db, [id]);
  const statements: string[] = [];
  const stop = host.platform.database('catalog').onQuery((q) => statements.push(q.sql));
  const second = await host.call('GET', `/api/product/${id}`);
  stop();
  assert.equal((second.body.data as Product).name, 'Uncached Umbrella 2');
  assert.ok(!statements.some((s) => s.includes('catalog_revision')), statements.join('\n'));
  const list = await host.call('GET', '/api/product?search=uncached', {
    headers: { 'if-none-match': '*' },
  });
  assert.equal(list.status, 200);
});
