import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import type { Named, ProductPage } from '../catalog.schemas.js';
import { seedDemoCatalog } from '../demo.js';
import '../index.js';

let host: TestHost;
before(async () => (host = await startTestHost({ demo: true })));
after(() => host.close());

const get = async <T>(path: string) => (await host.call('GET', path)).body.data as T;

describe('the demo catalog (DEMO_DATA)', () => {
  it('has at least 4 categories, 4 brands and 24 products', async () => {
    assert.ok((await get<Named[]>('/api/product/categories')).length >= 4);
    assert.ok((await get<Named[]>('/api/product/brands')).length >= 4);
    assert.ok((await get<ProductPage>('/api/product')).count >= 24);
  });

  it('gives every product an HTML description, prices, a rating, sales, views, stock and photos', async () => {
    const page = await get<ProductPage>('/api/product?pageSize=50');
    for (const p of page.data) {
      assert.match(p.description, /^<p>.*<\/ul>/s, p.name);
      assert.ok(p.price > 0 && p.priceBeforeDiscount >= p.price, p.name);
      assert.ok(p.rating > 0 && p.rating <= 5, p.name);
      assert.ok(p.sold >= 0 && p.view > 0 && p.quantity >= 0, p.name);
      assert.ok(p.images.length >= 1 && p.images[0]?.isMain, p.name);
    }
    assert.ok(
      page.data.some((p) => p.priceBeforeDiscount > p.price),
      'some products are discounted',
    );
  });

  it('serves every product a distinct, decodable PNG photo drawn at seed time', async () => {
    const page = await get<ProductPage>('/api/product?pageSize=50');
    const hashes = new Set<string>();
    for (const p of page.data) {
      for (const image of p.images) {
        const res = await fetch(image.url);
        assert.equal(res.status, 200, p.name);
        assert.equal(res.headers.get('content-type'), 'image/png');
        const bytes = Buffer.from(await res.arrayBuffer());
        const { format, width, height } = await sharp(bytes).metadata();
        assert.deepEqual({ format, width, height }, { format: 'png', width: 480, height: 480 }, p.name);
        assert.ok(bytes.length > 10_000, `${p.name}: a real picture, not a placeholder`);
        hashes.add(createHash('sha256').update(bytes).digest('hex'));
      }
    }
    assert.equal(hashes.size, page.data.length * 2, 'two photos a product, all different');
  });

  it('seeds only once', async () => {
    const before = (await get<ProductPage>('/api/product')).count;
    await seedDemoCatalog(host.platform);
    assert.equal((await get<ProductPage>('/api/product')).count, before);
  });
});
