import { startTestHost } from '../shared/testing/test-host.js';
import type { BenchRow } from './platform.bench.js';

/** How many SQL statements one list request runs, at several page sizes (it must not grow with the page). */
export async function sqlPerList(): Promise<BenchRow[]> {
  await import('../functions/index.js');
  const host = await startTestHost({ demo: true, env: { LOG_LEVEL: 'warn' } });
  const counts: string[] = [];
  for (const pageSize of [1, 20, 50]) {
    let statements = 0;
    const stop = host.platform.database('catalog').onQuery(() => statements++);
    const res = await host.call('GET', `/api/product?pageSize=${pageSize}&sort=priceDesc&search=e`);
    stop();
    if (res.status !== 200) throw new Error(`list failed: ${res.text}`);
    counts.push(`${pageSize}: ${statements}`);
  }
  await host.close();
  return [
    {
      name: 'SQL statements per list request (page size: statements)',
      value: counts.join(', '),
      baseline: '',
      ratio: '',
    },
  ];
}
