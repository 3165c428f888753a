import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BlobStore } from '../../../shared/storage/blob-store.js';
import { LocalBlobStore } from '../../../shared/storage/local-blob-store.js';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import type { Product } from '../catalog.schemas.js';
import type { CatalogTables } from '../catalog.tables.js';
import '../index.js';
import {
  aProduct,
  CatalogFixture,
  customerToken,
  noisyPngFile,
  pngBytes,
  pngFile,
} from './catalog.builders.js';

/** A blob store that can be told to fail its next writes, like a storage outage mid-upload. */
class FlakyBlobStore implements BlobStore {
  readonly kind = 'local' as const;
  failPutsAfter = Infinity;
  puts = 0;
  constructor(private readonly inner: LocalBlobStore) {}
  async put(key: string, bytes: Buffer, contentType: string) {
    if (this.puts++ >= this.failPutsAfter) throw new Error('storage is down');
    await this.inner.put(key, bytes, contentType);
  }
  get = (key: string) => this.inner.get(key);
  delete = (key: string) => this.inner.delete(key);
  url = (key: string, baseUrl: string) => this.inner.url(key, baseUrl);
  urlPrefix = (baseUrl: string) => this.inner.urlPrefix(baseUrl);
  ping = () => this.inner.ping();
}

const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-blobs-'));
const blobs = new FlakyBlobStore(new LocalBlobStore(blobDir, undefined));
const MAX_UPLOAD = 4096;

let host: TestHost;
let shop: CatalogFixture;
before(async () => {
  host = await startTestHost({ env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD) }, platform: { blobs } });
  shop = new CatalogFixture(host);
});
after(async () => {
  await host.close();
  fs.rmSync(blobDir, { recursive: true, force: true });
});

const db = () => host.platform.database<CatalogTables>('catalog').db;
const detail = async (id: number) => (await host.call('GET', `/api/product/${id}`)).body.data as Product;
const storedBlobCount = () => fs.readdirSync(path.join(blobDir, 'products')).length;
const productCount = async () =>
  Number(
    (
      await db()
        .selectFrom('products')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

async function createForm(form: FormData, token = shop.token) {
  const { categoryId, brandId } = await shop.defaults();
  if (!form.has('categoryId')) form.set('categoryId', String(categoryId));
  if (!form.has('brandId')) form.set('brandId', String(brandId));
  return host.call('POST', '/api/product', { form, token });
}

describe('creating a product (ADMIN, multipart)', () => {
  it('stores the fields and photos and answers with the new id', async () => {
    const categoryId = await shop.category('Phones');
    const brandId = await shop.brand('Nimbus');
    const res = await host.call('POST', '/api/product', {
      token: shop.token,
      form: aProduct()
        .named('Nimbus One')
        .priced('899.95', '999')
        .withQuantity(42)
        .rated('4.5')
        .inCategory(categoryId)
        .ofBrand(brandId)
        .withPhotos(pngFile('front.png'), pngFile('back.png'))
        .form(),
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.isSuccess, true);
    const id = res.body.data as number;
    const product = await detail(id);
    assert.deepEqual(
      { ...product, images: undefined },
      {
        id,
        name: 'Nimbus One',
        description: '<p>A fine product.</p>',
        price: 899.95,
        priceBeforeDiscount: 999,
        rating: 4.5,
        sold: 0,
        // This very view is counted in memory and written later (view-counter.ts).
        view: 0,
        quantity: 42,
        categoryId,
        categoryName: 'Phones',
        brandId,
        brandName: 'Nimbus',
        images: undefined,
        version: 1,
      },
    );
    assert.deepEqual(
      product.images.map((i) => [i.description, i.isMain]),
      [
        ['front', true],
        ['back', false],
      ],
    );
  });

  it('serves the photos at absolute URLs', async () => {
    const id = await shop.product(aProduct());
    const [image] = (await detail(id)).images;
    assert.ok(image);
    assert.match(image.url, /^http:\/\/127\.0\.0\.1:\d+\/media\/products\/[0-9a-f-]+\.png$/);
    assert.ok(!Number.isNaN(Date.parse(image.dateAdded)));
    const res = await fetch(image.url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), pngBytes());
  });

  it('sanitises the description HTML (no scripts, handlers or javascript: links)', async () => {
    const id = await shop.product(
      aProduct().describedAs(
        '<h2 onclick="steal()">Fast</h2><script>alert(1)</script><p>Really <a href="javascript:alert(1)">fast</a></p><img src="https://cdn.example/x.png" onerror="x()">',
      ),
    );
    assert.equal(
      (await detail(id)).description,
      '<h2>Fast</h2><p>Really <a>fast</a></p><img src="https://cdn.example/x.png" />',
    );
  });

  it('takes a priceBeforeDiscount of 0 as no discount', async () => {
    const id = await shop.product(aProduct().priced('30', '0'));
    assert.equal((await detail(id)).priceBeforeDiscount, 30);
  });

  it('defaults priceBeforeDiscount to the price and ignores fields it does not use', async () => {
    const id = await shop.product(
      aProduct()
        .priced('12.5')
        .with('sold', '99999')
        .with('view', '5')
        .with('categoryName', 'Nope')
        .with('id', '777'),
    );
    const product = await detail(id);
    assert.notEqual(id, 777);
    assert.equal(product.priceBeforeDiscount, 12.5);
    assert.equal(product.sold, 0);
    assert.notEqual(product.categoryName, 'Nope');
  });

  it('refuses a second product with the same name, whatever its case (409)', async () => {
    await shop.product(aProduct().named('Kestrel X5'));
    const res = await createForm(aProduct().named('  kestrel x5 ').form());
    assert.equal(res.status, 409);
    assert.equal(res.body.type, 'name');
    assert.match(res.body.message, /already exists/);
  });

  const refusals: [string, () => FormData, number, string, RegExp][] = [
    ['an empty name', () => aProduct().named('   ').form(), 400, 'name', /Name is required/],
    [
      'a name over 200 characters',
      () => aProduct().named('x'.repeat(201)).form(),
      400,
      'name',
      /at most 200/,
    ],
    ['a missing price', () => aProduct().without('price').form(), 400, 'price', /Price is required/],
    ['a negative price', () => aProduct().priced('-1').form(), 400, 'price', /must not be negative/],
    ['a price with 3 decimals', () => aProduct().priced('1.999').form(), 400, 'price', /at most 2 decimals/],
    ['an absurd price', () => aProduct().priced('99999999999').form(), 400, 'price', /at most/],
    [
      'a discount above the price',
      () => aProduct().priced('20', '10').form(),
      400,
      'priceBeforeDiscount',
      /lower than/,
    ],
    ['a negative quantity', () => aProduct().withQuantity(-1).form(), 400, 'quantity', /between 0 and/],
    ['a fractional quantity', () => aProduct().withQuantity('1.5').form(), 400, 'quantity', /whole number/],
    [
      'an absurd quantity',
      () => aProduct().withQuantity(10_000_000).form(),
      400,
      'quantity',
      /between 0 and/,
    ],
    ['a rating above 5', () => aProduct().rated('7').form(), 400, 'rating', /from 0 to 5/],
    [
      'a non-numeric category',
      () => aProduct().with('categoryId', 'abc').form(),
      400,
      'categoryId',
      /positive whole/,
    ],
    [
      'an unknown category',
      () => aProduct().inCategory(99999).form(),
      400,
      'categoryId',
      /No category has id 99999/,
    ],
    ['an unknown brand', () => aProduct().ofBrand(99999).form(), 400, 'brandId', /No brand has id 99999/],
    ['no photo', () => aProduct().withPhotos().form(), 400, 'imagePhotos', /at least one product photo/],
    [
      'a file that is not an image',
      () =>
        aProduct()
          .withPhotos(new File(['hello'], 'notes.png', { type: 'image/png' }))
          .form(),
      415,
      'imagePhotos',
      /not a supported image/,
    ],
    [
      'an SVG image',
      () =>
        aProduct()
          .withPhotos(
            new File(['<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>'], 'x.svg', {
              type: 'image/svg+xml',
            }),
          )
          .form(),
      415,
      'imagePhotos',
      /SVG is not accepted/,
    ],
    [
      'a photo over the size limit',
      () => aProduct().withPhotos(noisyPngFile('big.png', 64)).form(),
      413,
      'imagePhotos',
      /larger than/,
    ],
    [
      'more than 10 photos',
      () =>
        aProduct()
          .withPhotos(...Array.from({ length: 11 }, (_, i) => pngFile(`p${i}.png`)))
          .form(),
      400,
      'imagePhotos',
      /At most 10/,
    ],
  ];
  for (const [what, form, status, field, message] of refusals) {
    it(`refuses ${what} (${status}) and writes nothing`, async () => {
      const before = { products: await productCount(), blobs: storedBlobCount() };
      const res = await createForm(form());
      assert.equal(res.status, status, res.text);
      assert.equal(res.body.isSuccess, false);
      assert.equal(res.body.type, field);
      assert.match(res.body.message, message);
      assert.deepEqual({ products: await productCount(), blobs: storedBlobCount() }, before);
    });
  }

  it('refuses a JSON body: the form must be multipart (415)', async () => {
    const res = await host.call('POST', '/api/product', { json: { name: 'x' }, token: shop.token });
    assert.equal(res.status, 415);
  });

  it('leaves nothing behind when storing a photo fails (no product, no stray files)', async () => {
    const before = { products: await productCount(), blobs: storedBlobCount() };
    blobs.puts = 0;
    blobs.failPutsAfter = 1;
    try {
      const res = await createForm(
        aProduct().withPhotos(pngFile('a.png'), pngFile('b.png'), pngFile('c.png')).form(),
      );
      assert.equal(res.status, 503, res.text);
      assert.match(res.body.message, /nothing was saved/);
    } finally {
      blobs.failPutsAfter = Infinity;
    }
    assert.deepEqual({ products: await productCount(), blobs: storedBlobCount() }, before);
  });

  it('removes the stored photos again when the rows cannot be written', async () => {
    const name = 'Unique Racer';
    await shop.product(aProduct().named(name));
    const before = storedBlobCount();
    const res = await createForm(aProduct().named(name.toUpperCase()).form());
    assert.equal(res.status, 409);
    assert.equal(storedBlobCount(), before);
  });
});

describe('who may change the catalog', () => {
  const writes: [string, string, (h: TestHost) => { form?: FormData; json?: unknown }][] = [
    ['POST', '/api/product', () => ({ form: aProduct().inCategory(1).ofBrand(1).form() })],
    ['PUT', '/api/product', () => ({ form: aProduct().with('id', '1').form() })],
    ['DELETE', '/api/product/1', () => ({})],
    ['POST', '/api/product/brands', () => ({ json: { name: 'X' } })],
    ['PUT', '/api/product/brands', () => ({ json: { id: 1, name: 'X' } })],
    ['DELETE', '/api/product/brands?id=1', () => ({})],
    ['POST', '/api/product/categories', () => ({ json: { name: 'X' } })],
    ['PUT', '/api/product/categories', () => ({ json: { id: 1, name: 'X' } })],
    ['DELETE', '/api/product/categories?id=1', () => ({})],
  ];
  for (const [method, url, body] of writes) {
    it(`${method} ${url}: 401 without a token, 401 with a bad one, 403 as a customer`, async () => {
      assert.equal((await host.call(method, url, body(host))).status, 401);
      assert.equal((await host.call(method, url, { ...body(host), token: 'not-a-jwt' })).status, 401);
      const asCustomer = await host.call(method, url, { ...body(host), token: customerToken(host) });
      assert.equal(asCustomer.status, 403);
      assert.equal(asCustomer.body.code, 'forbidden');
    });
  }
});

describe('updating a product (ADMIN, multipart PUT)', () => {
  const put = (form: FormData) => host.call('PUT', '/api/product', { form, token: shop.token });
  const fields = (values: Record<string, string>, ...photos: File[]) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(values)) form.append(k, v);
    for (const p of photos) form.append('imagePhotos', p, p.name);
    return form;
  };
  const outboxPriceEvents = () =>
    db()
      .selectFrom('outbox')
      .select(['event_name', 'topic', 'body'])
      .where('event_name', '=', 'ProductPriceChanged')
      .execute();

  it('changes only the fields it is given and answers with the id', async () => {
    const id = await shop.product(aProduct().named('Lumen Lite').priced('349', '399').withQuantity(10));
    const res = await put(fields({ id: String(id), quantity: '7', name: 'Lumen Lite 2', price: '' }));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.data, id);
    const product = await detail(id);
    assert.deepEqual(
      [product.name, product.quantity, product.price, product.priceBeforeDiscount],
      ['Lumen Lite 2', 7, 349, 399],
    );
  });

  it('emits ProductPriceChanged through the outbox when the price changes, and only then', async () => {
    const id = await shop.product(aProduct().priced('100'));
    const before = (await outboxPriceEvents()).length;
    await put(fields({ id: String(id), quantity: '3' }));
    await put(fields({ id: String(id), price: '100.00' }));
    assert.equal((await outboxPriceEvents()).length, before, 'no event without a new price');
    assert.equal((await put(fields({ id: String(id), price: '89.99' }))).status, 200);
    const events = await outboxPriceEvents();
    assert.equal(events.length, before + 1);
    const last = events.at(-1);
    assert.equal(last?.topic, 'catalog');
    assert.deepEqual((JSON.parse(last?.body ?? '{}') as { data: unknown }).data, {
      productId: id,
      previousPriceMinor: 10000,
      priceMinor: 8999,
      priceBeforeDiscountMinor: 10000,
    });
  });

  it('ends the discount when a new price is above the old price before discount', async () => {
    const id = await shop.product(aProduct().priced('80', '100'));
    assert.equal((await put(fields({ id: String(id), price: '120' }))).status, 200);
    const product = await detail(id);
    assert.deepEqual([product.price, product.priceBeforeDiscount], [120, 120]);
  });

  it('adds new photos, removes listed ones and keeps a main photo', async () => {
    const id = await shop.product(aProduct().withPhotos(pngFile('one.png'), pngFile('two.png')));
    const [one, two] = (await detail(id)).images;
    assert.ok(one && two);
    const res = await put(fields({ id: String(id), removeImageIds: `${one.id}` }, pngFile('three.png')));
    assert.equal(res.status, 200, res.text);
    const images = (await detail(id)).images;
    assert.deepEqual(
      images.map((i) => [i.description, i.isMain]),
      [
        ['two', true],
        ['three', false],
      ],
    );
    // The removed photo's file stays: past orders may show it.
    assert.equal((await fetch(one.url)).status, 200);
  });

  it('makes the photo named by mainImageId the only main one', async () => {
    const id = await shop.product(aProduct().withPhotos(pngFile('one.png'), pngFile('two.png')));
    const second = (await detail(id)).images[1];
    assert.ok(second);
    assert.equal((await put(fields({ id: String(id), mainImageId: String(second.id) }))).status, 200);
    const images = (await detail(id)).images;
    assert.deepEqual(
      images.map((i) => [i.id, i.isMain]),
      [
        [second.id, true],
        [images[1]?.id, false],
      ],
    );
  });

  it('refuses to remove the last photo, or a photo of another product (400)', async () => {
    const id = await shop.product(aProduct());
    const other = await shop.product(aProduct());
    const [own] = (await detail(id)).images;
    const [foreign] = (await detail(other)).images;
    const last = await put(fields({ id: String(id), removeImageIds: String(own?.id) }));
    assert.equal(last.status, 400);
    assert.match(last.body.message, /at least one photo/);
    const notOurs = await put(fields({ id: String(id), removeImageIds: String(foreign?.id) }));
    assert.equal(notOurs.status, 400);
    assert.equal(notOurs.body.type, 'removeImageIds');
    assert.equal((await detail(id)).images.length, 1);
  });

  it('answers 404 for an unknown product and 400 without an id', async () => {
    assert.equal((await put(fields({ id: '999999', price: '1' }))).status, 404);
    const noId = await put(fields({ price: '1' }));
    assert.equal(noId.status, 400);
    assert.equal(noId.body.type, 'id');
  });

  it('refuses invalid values and changes nothing', async () => {
    const id = await shop.product(aProduct().named('Stable').priced('50'));
    for (const [field, value] of [
      ['price', 'free'],
      ['quantity', '-3'],
      ['name', 'y'.repeat(201)],
      ['categoryId', '424242'],
    ] as const) {
      const res = await put(fields({ id: String(id), [field]: value }));
      assert.equal(res.status, 400, `${field}: ${res.text}`);
      assert.equal(res.body.type, field);
    }
    const product = await detail(id);
    assert.deepEqual([product.name, product.price], ['Stable', 50]);
  });
});

describe('deleting a product (soft delete)', () => {
  it('hides it from the list and the detail, keeping its row and photos', async () => {
    const id = await shop.product(aProduct().named('Gone Soon'));
    const { url } = (await detail(id)).images[0] ?? { url: '' };
    const res = await host.call('DELETE', `/api/product/${id}`, { token: shop.token });
    assert.equal(res.status, 200, res.text);
    assert.equal((await host.call('GET', `/api/product/${id}`)).status, 404);
    const list = await host.call('GET', '/api/product?search=gone%20soon');
    assert.equal((list.body.data as { count: number }).count, 0);
    const row = await db()
      .selectFrom('products')
      .select(['is_deleted', 'deleted_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    assert.equal(row?.is_deleted, true);
    assert.ok(row?.deleted_at instanceof Date);
    assert.equal((await fetch(url)).status, 200);
  });

  it('answers 404 for an unknown or already deleted product, and for a non-numeric id (no route)', async () => {
    const id = await shop.product(aProduct());
    await host.call('DELETE', `/api/product/${id}`, { token: shop.token });
    assert.equal((await host.call('DELETE', `/api/product/${id}`, { token: shop.token })).status, 404);
    assert.equal((await host.call('DELETE', '/api/product/999999', { token: shop.token })).status, 404);
    assert.equal((await host.call('DELETE', '/api/product/abc', { token: shop.token })).status, 404);
    assert.equal((await host.call('DELETE', '/api/product/0', { token: shop.token })).status, 400);
  });

  it('frees its name for a new product', async () => {
    const id = await shop.product(aProduct().named('Phoenix'));
    await host.call('DELETE', `/api/product/${id}`, { token: shop.token });
    assert.ok((await shop.product(aProduct().named('Phoenix'))) > id);
  });

  it('refuses a PUT on a deleted product (404)', async () => {
    const id = await shop.product(aProduct());
    await host.call('DELETE', `/api/product/${id}`, { token: shop.token });
    const form = new FormData();
    form.append('id', String(id));
    form.append('price', '5');
    assert.equal((await host.call('PUT', '/api/product', { form, token: shop.token })).status, 404);
  });
});
