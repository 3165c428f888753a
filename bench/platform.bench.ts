import fs from 'node:fs';
import bcrypt from 'bcrypt';
import { compareRounds, load, ratio } from './lib/load.js';
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
 * Cold start: spawn until the first product list answers (every function module imported, the
 * databases migrated or checked, and, with the demo shop, its photos drawn), and RSS then. An
 * existing DATA_DIR is what every later `npm start` meets: the median of three starts.
 */
export async function coldStart(): Promise<BenchRow[]> {
  const fresh = await startShop({ DEMO_DATA: 'true' });
  const freshRss = rssMiB(fresh.pid);
  await fresh.stop();
  const again: { ms: number; rss: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const shop = await startShop({ DEMO_DATA: 'true', DATA_DIR: fresh.dataDir });
    again.push({ ms: shop.startedMs, rss: rssMiB(shop.pid) });
    await shop.stop();
  }
  const median = again.sort((a, b) => a.ms - b.ms)[1] ?? { ms: 0, rss: 0 };
  const bare = await startShop({ DEMO_DATA: 'false' });
  const bareRss = rssMiB(bare.pid);
  await bare.stop();
  for (const dir of [fresh.dataDir, bare.dataDir]) fs.rmSync(dir, { recursive: true, force: true });
  const row = (name: string, ms: number, rss: number, note = ''): BenchRow => ({
    name,
    value: `${Math.round(ms)} ms`,
    baseline: '',
    ratio: '',
    note: `RSS ${rss} MiB${note}`,
  });
  return [
    row('cold start to the first product answer, existing DATA_DIR (median of 3)', median.ms, median.rss),
    row('cold start, empty DATA_DIR, DEMO_DATA=false (migrations run)', bare.startedMs, bareRss),
    row('cold start, empty DATA_DIR, demo shop seeded (photos drawn)', fresh.startedMs, freshRss),
  ];
}

/** GET /api/health against a bare node:http server returning the same body. */
export async function health(): Promise<BenchRow[]> {
  const shop = await startShop({ DEMO_DATA: 'false' });
  const body = await (await fetch(`${shop.url}/api/health`)).text();
  const bare = await startBare({ '/api/health': { status: 200, body } });
  const row = await compareRounds('GET /api/health', shop.url, bare.url, [{ path: '/api/health' }], seconds);
  await Promise.all([shop.stop(), bare.stop()]);
  return [row];
}

/** The heavy packages: how long each takes to import alone, and whether a local start loads it. */
const heavyPackages = [
  'kysely',
  'zod',
  'better-sqlite3',
  '@azure/functions',
  'stripe',
  'jsonwebtoken',
  'bcrypt',
  'sanitize-html',
  'handlebars',
  'busboy',
  'croner',
  'sharp',
  'file-type',
  'mssql',
  '@azure/identity',
  '@azure/service-bus',
  '@azure/storage-blob',
  '@azure/communication-email',
  'applicationinsights',
];

export async function imports(): Promise<BenchRow[]> {
  const { execFileSync } = await import('node:child_process');
  const os = await import('node:os');
  const path = await import('node:path');
  const record = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'imports-')), 'packages.txt');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-bench-'));
  const first = await startShop({ DEMO_DATA: 'false', DATA_DIR: dataDir });
  await first.stop();
  const shop = await startShop({ DEMO_DATA: 'false', DATA_DIR: dataDir, RECORD_IMPORTS: record }, [
    '--import',
    './bench/lib/record-imports.mjs',
  ]);
  await shop.stop();
  const loaded = new Set(fs.readFileSync(record, 'utf8').split('\n'));
  fs.rmSync(dataDir, { recursive: true, force: true });
  // Bundled packages are read from dist/bundle/, not resolved in node_modules at start.
  const meta = JSON.parse(fs.readFileSync('dist/bundle/meta.json', 'utf8')) as {
    inputs: Record<string, unknown>;
  };
  const bundled = new Set(
    Object.keys(meta.inputs).flatMap(
      (input) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? [],
    ),
  );
  const rows: BenchRow[] = [];
  for (const name of heavyPackages) {
    // Each in a fresh process: the time to import it (and what it imports) from nothing.
    const script = `const t = performance.now(); await import(${JSON.stringify(name)}); process.stdout.write(String(performance.now() - t));`;
    const ms = Number(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }),
    );
    rows.push({
      name: `import ${name}`,
      value: `${Math.round(ms)} ms`,
      baseline: '',
      ratio: '',
      note: loaded.has(name)
        ? 'loaded by a local start'
        : bundled.has(name)
          ? 'loaded by a local start, from the bundle'
          : 'not loaded by a local start',
    });
  }
  return rows;
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
