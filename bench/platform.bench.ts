import fs from 'node:fs';
import bcrypt from 'bcrypt';
import { comparisonRow, load, ratio } from './lib/load.js';
import { rssMiB, startBare, startShop } from './lib/processes.js';

export interface BenchRow {
  name: string;
  value: string;
  baseline: string;
  ratio: string;
  note?: string;
}

const seconds = Number(process.env['BENCH_SECONDS'] ?? 5);

/**
 * Cold start: spawn → every function module imported, databases migrated (and, as `npm start` does by
 * default, the demo shop seeded with its drawn photos) → first answer; and RSS then.
 */
export async function coldStart(): Promise<BenchRow[]> {
  const fresh = await startShop({ DEMO_DATA: 'true' });
  const freshRss = rssMiB(fresh.pid);
  await fresh.stop();
  const again = await startShop({ DEMO_DATA: 'true', DATA_DIR: fresh.dataDir });
  const againRss = rssMiB(again.pid);
  await again.stop();
  const bare = await startShop({ DEMO_DATA: 'false' });
  const bareRss = rssMiB(bare.pid);
  await bare.stop();
  for (const dir of [fresh.dataDir, bare.dataDir]) fs.rmSync(dir, { recursive: true, force: true });
  const row = (name: string, ms: number, rss: number): BenchRow => ({
    name,
    value: `${Math.round(ms)} ms`,
    baseline: '',
    ratio: '',
    note: `RSS ${rss} MiB`,
  });
  return [
    row('cold start, empty DATA_DIR (migrations run, demo shop seeded)', fresh.startedMs, freshRss),
    row('cold start, existing DATA_DIR', again.startedMs, againRss),
    row('cold start, empty DATA_DIR, DEMO_DATA=false', bare.startedMs, bareRss),
  ];
}

/** GET /api/health against a bare node:http server returning the same body. */
export async function health(): Promise<BenchRow[]> {
  const shop = await startShop({ DEMO_DATA: 'false' });
  const body = await (await fetch(`${shop.url}/api/health`)).text();
  const bare = await startBare({ '/api/health': { status: 200, body } });
  const options = { seconds, connections: 10 };
  const baseline = await load(bare.url, [{ path: '/api/health' }], options);
  const measured = await load(shop.url, [{ path: '/api/health' }], options);
  await Promise.all([shop.stop(), bare.stop()]);
  return [comparisonRow('GET /api/health', measured, baseline)];
}

/** Login throughput against raw bcrypt.compare at the same cost (both use libuv's 4 worker threads). */
export async function login(): Promise<BenchRow[]> {
  const cost = 12;
  const shop = await startShop({ DEMO_DATA: 'true', BCRYPT_COST: String(cost), LOGIN_MAX_FAILURES: '1000' });
  const hash = await bcrypt.hash('Admin@123', cost);
  const concurrency = 4;
  let compares = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await bcrypt.compare('Admin@123', hash);
        compares++;
      }
    }),
  );
  const rawRps = compares / seconds;
  const measured = await load(
    shop.url,
    [
      {
        method: 'POST',
        path: '/api/auth/login',
        body: JSON.stringify({ email: 'anhdongoc18@gmail.com', password: 'Admin@123' }),
      },
    ],
    { seconds, connections: concurrency },
  );
  await shop.stop();
  return [
    {
      name: `POST /api/auth/login (bcrypt cost ${cost})`,
      value: `${measured.rps} logins/s (p99 ${measured.p99} ms)`,
      baseline: `${rawRps.toFixed(1)} bcrypt.compare/s`,
      ratio: ratio(measured.rps, rawRps),
      note:
        measured.errors + measured.non2xx > 0
          ? `${measured.errors} errors, ${measured.non2xx} non-2xx`
          : undefined,
    },
  ];
}
