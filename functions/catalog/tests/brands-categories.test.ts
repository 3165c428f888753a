import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import type { Named } from '../catalog.schemas.js';
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

for (const kind of ['brands', 'categories'] as const) {
  const url = `/api/product/${kind}`;
  const one = kind === 'brands' ? 'brand' : 'category';
  const send = (method: string, json: unknown) => host.call(method, url, { json, token: shop.token });
  const listed = async () => (await host.call('GET', url)).body.data as Named[];

  describe(`${url}`, () => {
    it('creates, lists by name and renames', async () => {
      const created = await send('POST', { id: 999, name: `  Zephyr ${one}  `, extra: true });
      assert.equal(created.status, 200, created.text);
      const zephyr = created.body.data as Named;
      assert.equal(zephyr.name, `Zephyr ${one}`);
      assert.notEqual(zephyr.id, 999);
      const apex = (await send('POST', { name: `apex ${one}` })).body.data as Named;
      const names = (await listed()).map((n) => n.name);
      assert.ok(names.indexOf(`apex ${one}`) < names.indexOf(`Zephyr ${one}`), 'sorted by name, any case');
      const renamed = await send('PUT', { id: apex.id, name: `Apex ${one}` });
      assert.equal(renamed.status, 200, renamed.text);
      assert.deepEqual(renamed.body.data, { id: apex.id, name: `Apex ${one}` });
      assert.ok((await listed()).some((n) => n.id === apex.id && n.name === `Apex ${one}`));
    });

    it('answers [{ id, name }] publicly, ignoring the Authorization header', async () => {
      const res = await host.call('GET', url, { headers: { authorization: 'Bearer nonsense' } });
      assert.equal(res.status, 200);
      for (const item of res.body.data as Named[]) assert.deepEqual(Object.keys(item).sort(), ['id', 'name']);
    });

    it('refuses a duplicate name, whatever its case (409)', async () => {
      await send('POST', { name: `Solo ${one}` });
      const again = await send('POST', { name: `SOLO ${one.toUpperCase()}` });
      assert.equal(again.status, 409);
      assert.equal(again.body.type, 'name');
      assert.match(again.body.message, /already/);
      const other = (await send('POST', { name: `Other ${one}` })).body.data as Named;
      const clash = await send('PUT', { id: other.id, name: `solo ${one}` });
      assert.equal(clash.status, 409);
    });

    const bad: [string, unknown, RegExp][] = [
      ['an empty name', { name: '   ' }, /Name is required/],
      ['a missing name', {}, /Name/],
      ['a name over 100 characters', { name: 'n'.repeat(101) }, /at most 100/],
      ['a name that is not text', { name: 42 }, /Name must be text/],
    ];
    for (const [what, body, message] of bad) {
      it(`refuses ${what} (400)`, async () => {
        const res = await send('POST', body);
        assert.equal(res.status, 400);
        assert.equal(res.body.type, 'name');
        assert.match(res.body.message, message);
      });
    }

    it('answers 400 for a body that is not JSON', async () => {
      const res = await host.call('POST', url, {
        body: '{name:',
        contentType: 'application/json',
        token: shop.token,
      });
      assert.equal(res.status, 400);
    });

    it('answers 404 when renaming or deleting an unknown one, 400 for a bad id', async () => {
      assert.equal((await send('PUT', { id: 424242, name: 'Nobody' })).status, 404);
      assert.equal((await send('PUT', { id: 'x', name: 'Nobody' })).status, 400);
      assert.equal((await host.call('DELETE', `${url}?id=424242`, { token: shop.token })).status, 404);
      const noId = await host.call('DELETE', url, { token: shop.token });
      assert.equal(noId.status, 400);
      assert.equal(noId.body.type, 'id');
      assert.equal((await host.call('DELETE', `${url}?id=abc`, { token: shop.token })).status, 400);
    });

    it('deletes an unused one; its name can be used again', async () => {
      const named = (await send('POST', { name: `Temporary ${one}` })).body.data as Named;
      const res = await host.call('DELETE', `${url}?id=${named.id}`, { token: shop.token });
      assert.equal(res.status, 200, res.text);
      assert.ok(!(await listed()).some((n) => n.id === named.id));
      assert.equal((await send('POST', { name: `Temporary ${one}` })).status, 200);
    });

    it('refuses to delete one that a product uses, with a clear message (409), and keeps it', async () => {
      const id = kind === 'brands' ? await shop.brand() : await shop.category();
      const product = await shop.product(
        kind === 'brands' ? aProduct().ofBrand(id) : aProduct().inCategory(id),
      );
      const res = await host.call('DELETE', `${url}?id=${id}`, { token: shop.token });
      assert.equal(res.status, 409);
      assert.equal(res.body.message, `This ${one} still has 1 product: move or delete it first.`);
      assert.ok((await listed()).some((n) => n.id === id));
      // Once its product is deleted (soft), it can go: past orders still find the row.
      await host.call('DELETE', `/api/product/${product}`, { token: shop.token });
      assert.equal((await host.call('DELETE', `${url}?id=${id}`, { token: shop.token })).status, 200);
      const row = await host.platform
        .database<CatalogTables>('catalog')
        .db.selectFrom(kind)
        .select('is_deleted')
        .where('id', '=', id)
        .executeTakeFirst();
      assert.equal(row?.is_deleted, true);
    });

    it(`keeps a delete of the ${one} and a product saved into it at the same moment apart`, async () => {
      // SQLite runs one statement at a time, so the race itself cannot happen here; what makes it safe
      // on Azure SQL is the order of the statements: both sides write the ${one}'s row first (its lock
      // is held to the commit), and only then does the delete count products or the save write one.
      const id = kind === 'brands' ? await shop.brand() : await shop.category();
      const statements: string[] = [];
      const stop = host.platform.database('catalog').onQuery((q) => statements.push(q.sql));
      try {
        await shop.product(kind === 'brands' ? aProduct().ofBrand(id) : aProduct().inCategory(id));
        const lock = statements.findIndex((q) => new RegExp(`^update "${kind}"`).test(q));
        const insert = statements.findIndex((q) => /^insert into "products"/.test(q));
        assert.ok(lock !== -1 && lock < insert, `the ${one} row is locked before the product is written`);
        statements.length = 0;
        assert.equal((await host.call('DELETE', `${url}?id=${id}`, { token: shop.token })).status, 409);
        const mark = statements.findIndex((q) => new RegExp(`^update "${kind}"`).test(q));
        const count = statements.findIndex((q) => /from "products"/.test(q));
        assert.ok(mark !== -1 && mark < count, 'the delete writes the row before it counts products');
      } finally {
        stop();
      }
      assert.ok(
        (await listed()).some((n) => n.id === id),
        'the refused delete was rolled back',
      );
    });

    it(`refuses a product in a deleted ${one}`, async () => {
      const id = kind === 'brands' ? await shop.brand() : await shop.category();
      await host.call('DELETE', `${url}?id=${id}`, { token: shop.token });
      const builder = kind === 'brands' ? aProduct().ofBrand(id) : aProduct().inCategory(id);
      await assert.rejects(shop.product(builder), new RegExp(`No ${one} has id ${id}`));
    });
  });
}
