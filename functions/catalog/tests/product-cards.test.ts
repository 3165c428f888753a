import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import { prepareDomains } from '../../../shared/functions/prepare.js';
import { writeMissingCards } from '../cards.service.js';
import { catalogDeps } from '../catalog.deps.js';
import type { Product, ProductPage } from '../catalog.schemas.js';
import { getProductsByIds } from '../catalog.service.js';
import type { CatalogTables } from '../catalog.tables.js';
import '../index.js';
import { adminToken, aProduct, CatalogFixture, pngFile } from './catalog.builders.js';

/**
 * Product cards (product-card.ts), with the read cache off so every read is made from them: the
 * public list and detail answer exactly what the catalog's client gives carts and orders (made from
 * the rows), after every kind of write that changes a card, and a product without a card (saved
 * before cards existed) is answered all the same and gets one at the next start.
 */
let host: TestHost;
let shop: CatalogFixture;
before(async () => {
  host = await startTestHost({ env: { CATALOG_CACHE: 'off' }, demo: true });
  shop = new CatalogFixture(host);
});
after(() => host.close());

const db = () => host.platform.database<CatalogTables>('catalog').db;

async function listText(query = 'pageSize=50'): Promise<{ text: string; page: ProductPage }> {
  const res = await host.call('GET', `/api/product?${query}`);
  assert.equal(res.status, 200, res.text);
  return { text: res.text, page: res.body.data as ProductPage };
}

/** What the catalog's client makes from the rows for these products, served from the host's origin. */
async function fromRows(ids: number[]): Promise<Map<number, Product>> {
  return getProductsByIds(catalogDeps(host.platform), ids, new URL(host.url).origin);
}

const storedCard = async (id: number) =>
  (await db().selectFrom('products').select('card').where('id', '=', id).executeTakeFirstOrThrow()).card;

/**
 * Every product on the page and its detail are, byte for byte, the JSON of what the rows say, and
 * (unless told otherwise) each was answered from a stored card, not made from its row on the way.
 */
async function assertCardsMatchRows(query = 'pageSize=50', stored = true): Promise<ProductPage> {
  const { text, page } = await listText(query);
  assert.ok(page.data.length > 0, 'the page has products');
  if (stored) {
    for (const product of page.data)
      assert.notEqual(await storedCard(product.id), null, `product ${product.id} has a stored card`);
  }
  const expected = await fromRows(page.data.map((p) => p.id));
  for (const product of page.data) {
    const made = expected.get(product.id);
    assert.ok(made, `product ${product.id} is live`);
    assert.ok(text.includes(JSON.stringify(made)), `list bytes of product ${product.id}`);
    const detail = await host.call('GET', `/api/product/${product.id}`);
    assert.equal(detail.text, JSON.stringify({ data: made, isSuccess: true, message: '', type: '' }));
  }
  return page;
}

describe('the public reads answer what the rows say', () => {
  it('for every product of the demo shop', async () => {
    const page = await assertCardsMatchRows();
    assert.ok(page.data.length >= 20, String(page.data.length));
    assert.match(page.data[0]?.images[0]?.url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/media\/products\//);
  });

  it('for text that looks like the card format: quotes, "url":" in names, control and non-ASCII characters', async () => {
    const name = `Tricky "url":"x" \\ \u0001 caf\u00e9 \u{1F600}`;
    const id = await shop.product(
      aProduct()
        .named(name)
        .describedAs('<p>"url":"<b>bold</b>" \u0001 \u2028</p>')
        .withPhotos(pngFile('one.png'), pngFile('two.png')),
    );
    const page = await assertCardsMatchRows(`search=${encodeURIComponent('tricky')}`);
    const product = page.data.find((p) => p.id === id);
    assert.equal(product?.name, name);
    assert.equal(product?.images.length, 2);
    assert.ok(product?.images.every((image) => image.url.startsWith(new URL(host.url).origin)));
  });

  it('after an edit of every field a card holds, photos included', async () => {
    const category = await shop.category();
    const brand = await shop.brand();
    const id = await shop.product(aProduct().named('Card Camera').withPhotos(pngFile('a.png')));
    const form = new FormData();
    form.set('id', String(id));
    form.set('name', 'Card Camera II');
    form.set('description', '<p>new</p>');
    form.set('price', '12.5');
    form.set('priceBeforeDiscount', '20');
    form.set('rating', '4.5');
    form.set('categoryId', String(category));
    form.set('brandId', String(brand));
    form.append('imagePhotos', pngFile('b.png'));
    const res = await host.call('PUT', '/api/product', { form, token: adminToken(host) });
    assert.equal(res.status, 200, res.text);
    const page = await assertCardsMatchRows('search=card%20camera');
    const product = page.data.find((p) => p.id === id);
    assert.equal(product?.name, 'Card Camera II');
    assert.equal(product?.price, 12.5);
    assert.equal(product?.categoryId, category);
    assert.equal(product?.images.length, 2);
  });

  it('after a rename of a category and of a brand, on each of their products', async () => {
    const category = await shop.category('Card Shelf');
    const brand = await shop.brand('Card Maker');
    const ids = [
      await shop.product(aProduct().named('Shelf Item One').inCategory(category).ofBrand(brand)),
      await shop.product(aProduct().named('Shelf Item Two').inCategory(category).ofBrand(brand)),
    ];
    for (const [kind, id, name] of [
      ['categories', category, 'Card Shelves'],
      ['brands', brand, 'Card Makers'],
    ] as const) {
      const res = await host.call('PUT', `/api/product/${kind}`, {
        json: { id, name },
        token: adminToken(host),
      });
      assert.equal(res.status, 200, res.text);
    }
    const page = await assertCardsMatchRows('search=shelf%20item');
    assert.deepEqual(
      page.data.map((p) => [p.id, p.categoryName, p.brandName]),
      ids.map((id) => [id, 'Card Shelves', 'Card Makers']),
    );
  });

  it('with counters that change without a card write (views flushed, stock held by an order)', async () => {
    const id = await shop.product(aProduct().named('Counted Clock').withQuantity(5));
    await db()
      .updateTable('products')
      .set({ view_count: 41, sold_count: 3, reserved_quantity: 2 })
      .where('id', '=', id)
      .execute();
    const page = await assertCardsMatchRows('search=counted%20clock');
    assert.deepEqual(
      page.data.map((p) => [p.view, p.sold, p.quantity]),
      [[41, 3, 3]],
    );
  });
});

describe('a product without a card (saved before cards existed)', () => {
  it('is answered from its row, and gets its card at the next bootstrap', async () => {
    const id = await shop.product(aProduct().named('Old Oven'));
    await db().updateTable('products').set({ card: null }).where('id', '=', id).execute();
    await assertCardsMatchRows('search=old%20oven', false);
    assert.equal(await storedCard(id), null, 'a read does not write');

    await writeMissingCards(host.platform);
    assert.match((await storedCard(id)) ?? '', /^"name":"Old Oven"/);
    await assertCardsMatchRows('search=old%20oven');
    const statements: string[] = [];
    const stop = host.platform.database('catalog').onQuery((q) => statements.push(q.sql));
    await writeMissingCards(host.platform);
    stop();
    assert.equal(
      statements.length,
      1,
      `one statement when every product has a card:\n${statements.join('\n')}`,
    );
  });
});

describe('writing cards', () => {
  it('locks the product rows before reading what a card is made of', async () => {
    const id = await shop.product(aProduct().named('Locked Lamp'));
    const statements: string[] = [];
    const stop = host.platform.database('catalog').onQuery((q) => statements.push(q.sql));
    const form = new FormData();
    form.set('id', String(id));
    form.set('name', 'Locked Lamp II');
    const res = await host.call('PUT', '/api/product', { form, token: adminToken(host) });
    stop();
    assert.equal(res.status, 200, res.text);
    const lock = statements.findIndex((s) => s.startsWith('update "products" set "card" = "card"'));
    const read = statements.findIndex((s, i) => i > lock && s.includes('inner join "categories"'));
    const save = statements.findIndex((s) => /^update "products" set "card" = \?/.test(s));
    assert.ok(lock >= 0 && lock < read && read < save, statements.join('\n'));
    assert.match((await storedCard(id)) ?? '', /^"name":"Locked Lamp II"/);
  });

  it('after a deployment, rewrites every card, so one left behind by the previous version is put right', async () => {
    const id = await shop.product(aProduct().named('Deployed Desk'));
    // The previous version renamed the product and did not know about cards.
    await db().updateTable('products').set({ name: 'Deployed Desk 2' }).where('id', '=', id).execute();
    assert.match((await storedCard(id)) ?? '', /^"name":"Deployed Desk"/);
    await prepareDomains(host.platform, { demo: false, afterDeploy: true });
    assert.match((await storedCard(id)) ?? '', /^"name":"Deployed Desk 2"/);
    const page = await assertCardsMatchRows('search=deployed%20desk');
    assert.deepEqual(
      page.data.map((p) => p.name),
      ['Deployed Desk 2'],
    );
  });
});
