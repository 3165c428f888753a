import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import type { Product, ProductPage } from '../catalog.schemas.js';
import type { CatalogTables } from '../catalog.tables.js';
import '../index.js';
import { aProduct, CatalogFixture } from './catalog.builders.js';

let host: TestHost;
let shop: CatalogFixture;
const ids: Record<string, number> = {};
let phones: number, audio: number, nimbus: number, auralis: number;

const db = () => host.platform.database<CatalogTables>('catalog').db;

/** Products with known prices, ratings, sales and views (the counters are set as if shoppers had been busy). */
const products = [
  {
    name: 'Alpha Phone',
    category: 'phones',
    brand: 'nimbus',
    price: '500',
    rating: '4.5',
    sold: 10,
    view: 300,
  },
  { name: 'beta phone', category: 'phones', brand: 'nimbus', price: '300', rating: '3', sold: 50, view: 100 },
  {
    name: 'Gamma Phone Max',
    category: 'phones',
    brand: 'auralis',
    price: '900',
    rating: '5',
    sold: 5,
    view: 900,
  },
  { name: 'Delta Buds', category: 'audio', brand: 'auralis', price: '150', rating: '4', sold: 80, view: 80 },
  {
    name: 'Epsilon Speaker',
    category: 'audio',
    brand: 'nimbus',
    price: '150',
    rating: '4.8',
    sold: 20,
    view: 500,
  },
  {
    name: 'Zeta 100%_Pure [Ed]',
    category: 'audio',
    brand: 'auralis',
    price: '99.99',
    rating: '2.5',
    sold: 0,
    view: 0,
  },
] as const;

before(async () => {
  host = await startTestHost();
  shop = new CatalogFixture(host);
  [phones, audio, nimbus, auralis] = [
    await shop.category('Phones'),
    await shop.category('Audio'),
    await shop.brand('Nimbus'),
    await shop.brand('Auralis'),
  ];
  for (const p of products) {
    const id = await shop.product(
      aProduct()
        .named(p.name)
        .priced(p.price)
        .rated(p.rating)
        .inCategory(p.category === 'phones' ? phones : audio)
        .ofBrand(p.brand === 'nimbus' ? nimbus : auralis),
    );
    await db()
      .updateTable('products')
      .set({ sold_count: p.sold, view_count: p.view })
      .where('id', '=', id)
      .execute();
    ids[p.name] = id;
  }
  const deleted = await shop.product(
    aProduct().named('Omega Phone (deleted)').inCategory(phones).ofBrand(nimbus),
  );
  await host.call('DELETE', `/api/product/${deleted}`, { token: shop.token });
});
after(() => host.close());

async function list(query = ''): Promise<ProductPage> {
  const res = await host.call('GET', `/api/product${query}`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.isSuccess, true);
  return res.body.data as ProductPage;
}
const names = (page: ProductPage) => page.data.map((p) => p.name);

describe('GET /api/product: the public list', () => {
  it('answers page 1 of 20, sorted by name (any case), with the total count', async () => {
    const page = await list();
    assert.deepEqual(
      { pageIndex: page.pageIndex, pageSize: page.pageSize, count: page.count },
      { pageIndex: 1, pageSize: 20, count: 6 },
    );
    assert.deepEqual(names(page), [
      'Alpha Phone',
      'beta phone',
      'Delta Buds',
      'Epsilon Speaker',
      'Gamma Phone Max',
      'Zeta 100%_Pure [Ed]',
    ]);
  });

  it('gives each product the full storefront shape with at least one absolute image URL', async () => {
    const alpha = (await list('?search=alpha')).data[0] as Product;
    assert.deepEqual(Object.keys(alpha).sort(), [
      'brandId',
      'brandName',
      'categoryId',
      'categoryName',
      'description',
      'id',
      'images',
      'name',
      'price',
      'priceBeforeDiscount',
      'quantity',
      'rating',
      'sold',
      'version',
      'view',
    ]);
    assert.deepEqual(
      [alpha.price, alpha.rating, alpha.sold, alpha.view, alpha.categoryName, alpha.brandName],
      [500, 4.5, 10, 300, 'Phones', 'Nimbus'],
    );
    for (const product of (await list()).data) {
      assert.ok(product.images.length >= 1, product.name);
      assert.match(product.images[0]?.url ?? '', /^http:\/\//);
      assert.deepEqual(Object.keys(product.images[0] ?? {}).sort(), [
        'dateAdded',
        'description',
        'id',
        'isMain',
        'url',
      ]);
    }
  });

  const sorts: [string, string[]][] = [
    [
      'name',
      [
        'Alpha Phone',
        'beta phone',
        'Delta Buds',
        'Epsilon Speaker',
        'Gamma Phone Max',
        'Zeta 100%_Pure [Ed]',
      ],
    ],
    [
      'sold',
      [
        'Delta Buds',
        'beta phone',
        'Epsilon Speaker',
        'Alpha Phone',
        'Gamma Phone Max',
        'Zeta 100%_Pure [Ed]',
      ],
    ],
    [
      'view',
      [
        'Gamma Phone Max',
        'Epsilon Speaker',
        'Alpha Phone',
        'beta phone',
        'Delta Buds',
        'Zeta 100%_Pure [Ed]',
      ],
    ],
    // Delta and Epsilon cost the same: the id breaks the tie, in the sort's direction.
    [
      'priceAsc',
      [
        'Zeta 100%_Pure [Ed]',
        'Delta Buds',
        'Epsilon Speaker',
        'beta phone',
        'Alpha Phone',
        'Gamma Phone Max',
      ],
    ],
    [
      'priceDesc',
      [
        'Gamma Phone Max',
        'Alpha Phone',
        'beta phone',
        'Epsilon Speaker',
        'Delta Buds',
        'Zeta 100%_Pure [Ed]',
      ],
    ],
  ];
  for (const [sort, expected] of sorts) {
    it(`sorts by ${sort}`, async () => {
      assert.deepEqual(names(await list(`?sort=${sort}`)), expected);
    });
  }

  it('accepts the sort in any case', async () => {
    assert.deepEqual(names(await list('?sort=PRICEDESC')), sorts[4]?.[1]);
  });

  it('filters by category and by brand', async () => {
    assert.deepEqual(names(await list(`?categoryId=${audio}`)), [
      'Delta Buds',
      'Epsilon Speaker',
      'Zeta 100%_Pure [Ed]',
    ]);
    assert.deepEqual(names(await list(`?brandId=${nimbus}`)), [
      'Alpha Phone',
      'beta phone',
      'Epsilon Speaker',
    ]);
    const none = await list('?categoryId=987654');
    assert.deepEqual([none.count, none.data], [0, []]);
  });

  it('searches names case-insensitively, anywhere in the name', async () => {
    assert.deepEqual(names(await list('?search=PHONE')), ['Alpha Phone', 'beta phone', 'Gamma Phone Max']);
    assert.deepEqual(names(await list('?search=%20eta%20')), ['beta phone', 'Zeta 100%_Pure [Ed]']);
  });

  it('matches %, _ and [ in a search literally, not as wildcards', async () => {
    assert.deepEqual(names(await list(`?search=${encodeURIComponent('100%_')}`)), ['Zeta 100%_Pure [Ed]']);
    assert.deepEqual(names(await list(`?search=${encodeURIComponent('[ed]')}`)), ['Zeta 100%_Pure [Ed]']);
    assert.deepEqual(names(await list(`?search=${encodeURIComponent('a_p')}`)), []);
    assert.deepEqual(names(await list(`?search=${encodeURIComponent('%')}`)), ['Zeta 100%_Pure [Ed]']);
  });

  it('filters by a price range, both ends included', async () => {
    assert.deepEqual(names(await list('?priceMin=150&priceMax=500&sort=priceAsc')), [
      'Delta Buds',
      'Epsilon Speaker',
      'beta phone',
      'Alpha Phone',
    ]);
    assert.deepEqual(names(await list('?priceMin=500.01')), ['Gamma Phone Max']);
    assert.deepEqual(names(await list('?priceMax=99.99')), ['Zeta 100%_Pure [Ed]']);
  });

  it('filters by a minimum rating', async () => {
    assert.deepEqual(names(await list('?ratingNumber=4.5')), [
      'Alpha Phone',
      'Epsilon Speaker',
      'Gamma Phone Max',
    ]);
    assert.equal((await list('?ratingNumber=0')).count, 6);
  });

  it('combines every filter with a sort', async () => {
    const page = await list(
      `?categoryId=${phones}&brandId=${nimbus}&search=phone&priceMin=100&priceMax=600&ratingNumber=3&sort=priceDesc&pageSize=1`,
    );
    assert.deepEqual([page.count, names(page)], [2, ['Alpha Phone']]);
  });

  it('treats empty parameters as absent (the storefront sends priceMin= and priceMax=)', async () => {
    const page = await list(
      '?pageIndex=&pageSize=&sort=&categoryId=&brandId=&search=&priceMin=&priceMax=&ratingNumber=',
    );
    assert.deepEqual([page.pageIndex, page.pageSize, page.count], [1, 20, 6]);
    assert.deepEqual(names(page), sorts[0]?.[1]);
  });

  it('ignores unknown parameters and an Authorization header, even a broken one', async () => {
    const res = await host.call('GET', '/api/product?foo=bar&pageSize=2', {
      headers: { authorization: 'Bearer expired.or.garbage' },
    });
    assert.equal(res.status, 200);
    assert.equal((res.body.data as ProductPage).data.length, 2);
  });

  it('matches the path in any case', async () => {
    const res = await host.call('GET', '/API/Product?pageSize=1');
    assert.equal(res.status, 200);
  });

  it('never lists a deleted product', async () => {
    assert.deepEqual(names(await list('?search=omega')), []);
  });
});

describe('paging', () => {
  it('caps pageSize at 50 and says so in the answer', async () => {
    assert.equal((await list('?pageSize=500')).pageSize, 50);
  });

  it('answers an empty page past the end, with the count', async () => {
    const page = await list('?pageIndex=9&pageSize=5');
    assert.deepEqual([page.pageIndex, page.count, page.data], [9, 6, []]);
  });

  const refused: [string, string, RegExp][] = [
    ['pageSize=0', 'pageSize', /between 1 and/],
    ['pageSize=-5', 'pageSize', /between 1 and/],
    ['pageSize=ten', 'pageSize', /whole number/],
    ['pageSize=99999999', 'pageSize', /between 1 and/],
    ['pageIndex=0', 'pageIndex', /between 1 and/],
    ['pageIndex=-1', 'pageIndex', /between 1 and/],
    ['pageIndex=1.5', 'pageIndex', /whole number/],
    ['pageIndex=99999999999', 'pageIndex', /whole number/],
    ['sort=cheapest', 'sort', /sort must be one of name, sold, view, priceAsc, priceDesc/],
    ['categoryId=abc', 'categoryId', /positive whole number/],
    ['brandId=-2', 'brandId', /positive whole number/],
    ['priceMin=-5', 'priceMin', /must not be negative/],
    ['priceMax=abc', 'priceMax', /amount/],
    ['priceMin=1e3', 'priceMin', /amount/],
    ['priceMin=50&priceMax=10', 'priceMin', /priceMin must not be more than priceMax/],
    ['ratingNumber=6', 'ratingNumber', /from 0 to 5/],
    ['ratingNumber=four', 'ratingNumber', /from 0 to 5/],
    [`search=${'x'.repeat(101)}`, 'search', /at most 100/],
  ];
  for (const [query, field, message] of refused) {
    it(`refuses ${query.slice(0, 40)} with a 400 that names ${field}`, async () => {
      const res = await host.call('GET', `/api/product?${query}`);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.isSuccess, false);
      assert.equal(res.body.type, field);
      assert.match(res.body.message, message);
    });
  }

  it('never repeats or skips a product while paging an unchanged catalog, in every sort, with ties', async () => {
    // Ten more products at one price, with equal sales and views: only the tie-breaker orders them.
    for (let i = 0; i < 10; i++)
      await shop.product(aProduct().named(`Tie ${i}`).priced('150').inCategory(audio));
    const total = (await list()).count;
    for (const sort of ['name', 'sold', 'view', 'priceAsc', 'priceDesc']) {
      for (const pageSize of [1, 3, 4, 7]) {
        const seen: number[] = [];
        for (let pageIndex = 1; seen.length < total; pageIndex++) {
          const page = await list(`?sort=${sort}&pageSize=${pageSize}&pageIndex=${pageIndex}`);
          assert.ok(page.data.length > 0, `${sort}/${pageSize}: page ${pageIndex} is empty before the end`);
          seen.push(...page.data.map((p) => p.id));
        }
        assert.equal(new Set(seen).size, total, `${sort}/${pageSize}: a product repeated`);
        const whole = (await list(`?sort=${sort}&pageSize=50`)).data.map((p) => p.id);
        assert.deepEqual(seen, whole, `${sort}/${pageSize}: pages differ from the whole list`);
      }
    }
  });
});

describe('the cost of a list request', () => {
  async function statementsFor(query: string): Promise<string[]> {
    const statements: string[] = [];
    const stop = host.platform.database('catalog').onQuery((q) => statements.push(q.sql));
    try {
      await list(query);
    } finally {
      stop();
    }
    return statements;
  }

  const revisionCheck = 'select "revision" from "catalog_revision" where "id" = ?';

  /** A read after a write: the cache holds nothing at the new revision. */
  async function uncachedStatementsFor(query: string): Promise<string[]> {
    await db()
      .updateTable('catalog_revision')
      .set((eb) => ({ revision: eb('revision', '+', 1) }))
      .execute();
    return statementsFor(query);
  }

  it('runs one statement whatever the page size when not cached: the page of cards with the total', async () => {
    const one = await uncachedStatementsFor('?pageSize=1&sort=priceAsc');
    const many = await uncachedStatementsFor('?pageSize=50&sort=priceAsc');
    const filtered = await uncachedStatementsFor(
      `?pageSize=50&categoryId=${audio}&search=a&priceMin=1&ratingNumber=1&sort=sold`,
    );
    for (const statements of [one, many, filtered]) {
      assert.equal(statements.length, 2, statements.join('\n'));
      assert.equal(statements[0], revisionCheck);
      // The cards hold the names and photos: no join, no images statement; the count is a subquery.
      assert.match(
        statements[1] ?? '',
        /"products"\."card", \(select count\(\*\) as "count" from "products" where/,
      );
      assert.doesNotMatch(statements.join('\n'), /join|product_images/);
    }
  });

  it('counts with a statement of its own only for a page past the end', async () => {
    const all = await list('?pageSize=1');
    const past = await uncachedStatementsFor(`?pageSize=50&pageIndex=${all.count + 5}`);
    assert.equal(past.length, 3, past.join('\n'));
    assert.match(past[2] ?? '', /^select count\(\*\)/);
    const body = await list(`?pageSize=50&pageIndex=${all.count + 5}`);
    assert.deepEqual([body.count, body.data.length], [all.count, 0]);
  });

  it('answers a repeated query with the revision check alone, whatever the page size', async () => {
    for (const query of ['?pageSize=1&sort=view', '?pageSize=50&sort=view']) {
      await statementsFor(query);
      assert.deepEqual(await statementsFor(query), [revisionCheck], query);
    }
  });

  it('answers a mix of 60 distinct query URLs, each with a well-formed page', async () => {
    const urls: string[] = [];
    const sorts = ['name', 'sold', 'view', 'priceAsc', 'priceDesc'];
    for (const [i, sort] of sorts.entries()) {
      for (const filter of [
        '',
        `categoryId=${phones}`,
        `brandId=${auralis}`,
        'search=e',
        'priceMin=100&priceMax=600',
        'ratingNumber=4',
      ]) {
        for (const pageSize of [2, 5])
          urls.push(`/api/product?sort=${sort}&pageSize=${pageSize}&pageIndex=${1 + (i % 2)}&${filter}`);
      }
    }
    assert.equal(new Set(urls).size, 60);
    const answers = await Promise.all(urls.map((url) => host.call('GET', url)));
    for (const [i, res] of answers.entries()) {
      assert.equal(res.status, 200, urls[i]);
      const page = res.body.data as ProductPage;
      assert.ok(page.pageSize > 0 && Array.isArray(page.data) && page.data.length <= page.pageSize, urls[i]);
    }
  });
});
