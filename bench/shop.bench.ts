import fs from 'node:fs';
import { z } from 'zod';
import { compareRounds, type LoadRequest } from './lib/load.js';
import { startBare, startShop } from './lib/processes.js';
import type { BenchRow } from './platform.bench.js';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 5);

/** Captures the shop's answer to each request, so the bare baseline serves the very same bytes. */
async function capture(
  url: string,
  requests: LoadRequest[],
): Promise<Record<string, { status: number; body: string }>> {
  const out: Record<string, { status: number; body: string }> = {};
  for (const r of requests) {
    const res = await fetch(url + r.path, {
      method: r.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...r.headers },
      body: r.body,
    });
    out[r.path] = { status: res.status, body: await res.text() };
  }
  return out;
}

async function compare(name: string, shopUrl: string, requests: LoadRequest[]): Promise<BenchRow> {
  const bare = await startBare(await capture(shopUrl, requests));
  const row = await compareRounds(name, shopUrl, bare.url, requests, seconds);
  await bare.stop();
  return row;
}

/** 60 distinct list URLs: pages of 20 over every sort, with category, brand, price, rating and search filters. */
export function listUrls(): string[] {
  const sorts = ['name', 'sold', 'view', 'priceAsc', 'priceDesc'];
  const filters = [
    '',
    '&categoryId=1',
    '&brandId=2',
    '&priceMin=50&priceMax=1500',
    '&ratingNumber=4',
    '&search=pro',
    '&categoryId=2&priceMin=',
    '&search=a&brandId=1',
    '&priceMax=900',
    '&categoryId=3&ratingNumber=3',
    '&brandId=3&sort=view',
    '&search=e',
  ];
  const urls = new Set<string>();
  for (const [i, f] of filters.entries())
    for (const [j, s] of sorts.entries())
      urls.add(`/api/product?pageIndex=${1 + ((i + j) % 2)}&pageSize=20&sort=${s}${f}`);
  return [...urls];
}

/**
 * The catalog's public GETs, with the read cache on (the default) and off: each against a bare
 * server answering the very bytes the shop answered, in the same run.
 */
export async function catalog(): Promise<BenchRow[]> {
  const list = listUrls().map((path) => ({ path }));
  const detail = Array.from({ length: 20 }, (_, i) => ({ path: `/api/product/${i + 1}` }));
  const rows: BenchRow[] = [];
  // One seeded shop, started again for each setting (the same products and photos).
  const seeded = await startShop({ DEMO_DATA: 'true' });
  await seeded.stop();
  const dataDir = seeded.dataDir;
  for (const cache of ['on', 'off']) {
    const shop = await startShop({ DEMO_DATA: 'true', DATA_DIR: dataDir, CATALOG_CACHE: cache });
    rows.push(
      await compare(
        `GET /api/product, cache ${cache} (${list.length} list queries, pages of 20)`,
        shop.url,
        list,
      ),
      await compare(
        `GET /api/product/{id}, cache ${cache} (${detail.length} products; counts views)`,
        shop.url,
        detail,
      ),
      await compare(`GET /api/product/brands, cache ${cache}`, shop.url, [{ path: '/api/product/brands' }]),
    );
    await shop.stop();
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  return rows;
}

export async function cart(): Promise<BenchRow[]> {
  const shop = await startShop({ DEMO_DATA: 'true', LOGIN_MAX_FAILURES: '1000' });
  const login = await fetch(`${shop.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'customer@demo.shop', password: 'Customer@123' }),
  });
  const { data } = z
    .object({ data: z.object({ token: z.string(), user: z.object({ id: z.string() }) }) })
    .parse(await login.json());
  const headers = { authorization: `Bearer ${data.token}` };
  const upsert = (productId: number, count: number): LoadRequest => ({
    method: 'POST',
    path: '/api/cart/cartupsert',
    headers,
    body: JSON.stringify({ cartHeader: { userId: data.user.id }, cartDetails: [{ productId, count }] }),
  });
  for (let id = 1; id <= 10; id++)
    await fetch(shop.url + '/api/cart/cartupsert', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: upsert(id, 1).body,
    });
  const getCart: LoadRequest[] = [{ path: `/api/cart/getcart/${data.user.id}`, headers }];
  const rows = [await compare('GET /api/cart/getcart/{userId} (10 lines)', shop.url, getCart)];
  // Upserts alternate between two counts of one line, so every request really writes.
  const upserts = [upsert(3, 2), upsert(3, 1)];
  const bare = await startBare({
    '/api/cart/cartupsert': await capture(shop.url, [upserts[0] as LoadRequest]).then(
      (r) => r['/api/cart/cartupsert'] ?? { status: 200, body: '{}' },
    ),
  });
  rows.push(
    await compareRounds(
      'POST /api/cart/cartupsert (sets a line of a 10-line cart)',
      shop.url,
      bare.url,
      upserts,
      seconds,
    ),
  );
  await bare.stop();
  await shop.stop();
  return rows;
}
