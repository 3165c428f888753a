import { catalogDeps } from '../functions/catalog/catalog.deps.js';
import { startTestHost } from '../shared/testing/test-host.js';
import type { BenchRow } from './platform.bench.js';

/**
 * SQL statements per request, cache on and off: a list page (at page sizes 1, 20 and 50: it must not
 * grow with the page), a product, the brands; the first request (a miss) and a repeat (a hit).
 */
export async function sqlPerRequest(): Promise<BenchRow[]> {
  await import('../functions/index.js');
  const rows: BenchRow[] = [];
  for (const cache of ['on', 'off']) {
    const host = await startTestHost({ demo: true, env: { LOG_LEVEL: 'warn', CATALOG_CACHE: cache } });
    const count = async (path: string) => {
      let statements = 0;
      const stop = host.platform.database('catalog').onQuery(() => statements++);
      const res = await host.call('GET', path);
      stop();
      if (res.status !== 200) throw new Error(`${path} failed: ${res.text}`);
      return statements;
    };
    const cells: string[] = [];
    for (const [label, path] of [
      ['list, page size 1', '/api/product?pageSize=1&sort=priceDesc&search=e'],
      ['list, page size 20', '/api/product?pageSize=20&sort=priceDesc&search=e'],
      ['list, page size 50', '/api/product?pageSize=50&sort=priceDesc&search=e'],
      ['product', '/api/product/3'],
      ['brands', '/api/product/brands'],
    ] as const) {
      const first = await count(path);
      const again = await count(path);
      cells.push(`${label}: ${first} then ${again}`);
    }
    let flushStatements = 0;
    const stop = host.platform.database('catalog').onQuery(() => flushStatements++);
    await catalogDeps(host.platform).views.flush();
    stop();
    await host.close();
    rows.push({
      name: `SQL statements per request, cache ${cache} (first request, then a repeat)`,
      value: cells.join('; '),
      baseline: '',
      ratio: '',
      note: `views of those requests written in ${flushStatements} statement(s) by one flush`,
    });
  }
  return rows;
}
