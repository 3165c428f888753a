// `npm test`: every *.test.ts under functions/, shared/ and tools/, through node's own test runner
// (Node 20 does not expand globs in `node --test`). Extra arguments narrow the run to matching paths.
// The exit code is the runner's: non-zero when any test failed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const roots = ['functions', 'shared', 'tools'];
const filters = process.argv.slice(2);

function find(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : find(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const files = roots
  .flatMap(find)
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const concurrency = String(Math.max(2, os.availableParallelism()));
// A compact report by default (scripts/test-reporter.mjs); TEST_REPORTER=spec (or tap, dot) for Node's own.
const reporter = process.env['TEST_REPORTER'] || './scripts/test-reporter.mjs';
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    `--test-reporter=${reporter}`,
    '--test-reporter-destination=stdout',
    ...files,
  ],
  // TEST_STARTED_AT: the summary's time counts from here, runner start-up included.
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test', TEST_STARTED_AT: String(Date.now()) } },
);
process.exit(result.status ?? 1);
