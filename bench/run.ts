/**
 * `npm run bench`: builds the shop, then measures it against baselines taken in the same run on the
 * same machine, and prints a table. Figures are ratios, so they compare across machines. The load
 * generator (autocannon, one thread, 50 connections) runs in this process; each server (the shop,
 * the bare node:http baseline) runs in its own process, on 127.0.0.1 and a free port.
 * BENCH_SECONDS (default 5) sets the length of each measurement; arguments pick scenarios by name.
 */
import { execSync } from 'node:child_process';
import { coldStart, health, imports, login, type BenchRow } from './platform.bench.js';
import { orders } from './orders.bench.js';
import { cart, catalog } from './shop.bench.js';
import { sqlPerRequest } from './sql-count.bench.js';

const scenarios: Record<string, () => Promise<BenchRow[]>> = {
  'cold-start': coldStart,
  imports,
  health,
  catalog,
  'sql-per-request': sqlPerRequest,
  login,
  cart,
  orders,
};

const wanted = process.argv.slice(2);
execSync('npm run build --silent', { stdio: 'inherit' });
const rows: BenchRow[] = [];
for (const [name, run] of Object.entries(scenarios)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  process.stderr.write(`running ${name}...\n`);
  rows.push(...(await run()));
}
const header = ['scenario', 'measured', 'baseline (same run)', 'ratio', 'note'];
const table = [header, ...rows.map((r) => [r.name, r.value, r.baseline, r.ratio, r.note ?? ''])];
const widths = header.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
for (const row of table)
  process.stdout.write(`| ${row.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |\n`);
process.stdout.write(`\nnode ${process.version}, ${(await import('node:os')).cpus().length} cores\n`);
