// `npm run build` (and the first step of `npm start`, `npm run dev`, `npm run db:migrate`): compiles
// functions/ and shared/ into dist/ with an incremental `tsc -b`, and skips TypeScript altogether
// when no input changed since the last good build. That check reads and hashes the inputs (a few
// hundred small files, tens of milliseconds), where loading the compiler alone takes about a second.
// After each compile it bundles the local host into dist/bundle/ (scripts/bundle.mjs).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { bundleEntry, bundleLocalHost } from './bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist');
const stampFile = path.join(outDir, '.build-inputs.json');
/** What `tsc -b tsconfig.build.json` reads from this repository (tsconfig.build.json's include/exclude). */
const sourceRoots = ['functions', 'shared'];
// The build's own scripts count as inputs: a pull that changes how dist/ is made remakes it.
const configFiles = [
  'tsconfig.json',
  'tsconfig.build.json',
  'package-lock.json',
  'scripts/build.mjs',
  'scripts/bundle.mjs',
  'scripts/copy-assets.mjs',
];
/** Files tsc does not compile but the build copies into dist/ (scripts/copy-assets.mjs): templates. */
const isAsset = (rel) => /^functions\/[^/]+\/templates\//.test(rel);
const isTestOnly = (rel) =>
  rel.endsWith('.test.ts') || rel.split('/').includes('tests') || rel.startsWith('shared/testing/');

function inputFiles() {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (isAsset(rel)) files.push(rel);
      else if (/\.(ts|mts|cts|json)$/.test(entry.name) && !entry.name.endsWith('.d.ts') && !isTestOnly(rel))
        files.push(rel);
    }
  };
  for (const dir of sourceRoots) if (fs.existsSync(path.join(root, dir))) walk(dir);
  return [...files.sort(), ...configFiles.filter((f) => fs.existsSync(path.join(root, f)))];
}

/**
 * Each input's content hash. A file whose size and modification time match the last build's is
 * taken as unchanged without reading it; a changed time alone (a checkout, a save without edits)
 * costs a read, and a content that is the same again does not rebuild.
 */
function hashInputs(previous = {}) {
  const hashes = {};
  for (const rel of inputFiles()) {
    const file = path.join(root, rel);
    const { size, mtimeMs } = fs.statSync(file);
    const known = previous[rel];
    hashes[rel] =
      known && known.size === size && known.mtimeMs === mtimeMs
        ? known
        : { size, mtimeMs, sha1: createHash('sha1').update(fs.readFileSync(file)).digest('hex') };
  }
  return hashes;
}

function readStamp() {
  try {
    return JSON.parse(fs.readFileSync(stampFile, 'utf8'));
  } catch {
    return undefined;
  }
}

function changedSince(previous, current) {
  if (!previous) return undefined;
  const names = new Set([...Object.keys(previous), ...Object.keys(current)]);
  return [...names].filter((name) => previous[name]?.sha1 !== current[name]?.sha1);
}

function tscPath() {
  const candidate = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  return fs.existsSync(candidate) ? candidate : undefined;
}

/**
 * Makes dist/ match the sources. Resolves with true when it had to compile, false when dist/ was
 * already current; rejects (after printing the compiler's errors) when the build fails.
 */
export async function ensureBuilt({ entry = 'dist/functions/local.js', quiet = false } = {}) {
  const say = (line) => quiet || process.stdout.write(`${line}\n`);
  const previous = readStamp();
  const current = hashInputs(previous);
  const changed = changedSince(previous, current);
  if (changed?.length === 0 && fs.existsSync(path.join(root, entry))) {
    // A dist/ from before the bundle step, or one whose bundle was deleted: bundle only.
    if (!fs.existsSync(bundleEntry)) await bundle();
    return false;
  }

  const tsc = tscPath();
  if (!tsc) {
    throw new BuildError(
      fs.existsSync(outDir)
        ? 'dist/ is older than the sources and TypeScript is not installed (npm ci --omit=dev?). Run `npm ci`, then start again.'
        : 'dist/ is missing and TypeScript is not installed (npm ci --omit=dev?). Run `npm ci`, then start again.',
    );
  }
  const why =
    changed === undefined
      ? fs.existsSync(path.join(root, entry))
        ? 'no build stamp (after npm run dev): checking everything'
        : 'first build, about 10-20 s'
      : `${changed.length} changed file${changed.length === 1 ? '' : 's'}${changed.length <= 3 ? `: ${changed.join(', ')}` : ''}`;
  say(`Compiling TypeScript into dist/ (${why})...`);
  const started = performance.now();
  const ticker =
    !quiet && process.stdout.isTTY
      ? setInterval(() => {
          process.stdout.write(`\r  still compiling, ${Math.round((performance.now() - started) / 1000)} s`);
        }, 1000)
      : undefined;
  const { code, output } = await run(process.execPath, [tsc, '-b', 'tsconfig.build.json', '--pretty']);
  if (ticker) {
    clearInterval(ticker);
    process.stdout.write('\r\x1b[K');
  }
  if (code !== 0) {
    process.stderr.write(output);
    throw new BuildError('The TypeScript build failed (errors above); dist/ was not updated for them.');
  }
  await copyAssets();
  await bundle();
  fs.writeFileSync(stampFile, JSON.stringify(current, null, 0));
  say(`Compiled in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  return true;
}

export class BuildError extends Error {}

/**
 * Bundles the local host. A bundle is only faster, never needed: when esbuild fails (a broken or
 * foreign-platform install), the build still succeeds and the local host runs unbundled.
 */
export async function bundle({ quiet = false } = {}) {
  try {
    await bundleLocalHost();
  } catch (error) {
    if (!quiet)
      process.stderr.write(
        `Bundling the local host into dist/bundle/ failed, so it runs unbundled from dist/functions/ (slower to start): ${error?.message ?? error}\n`,
      );
  }
}

/**
 * For `npm run dev`, whose `tsc --watch` writes dist/ without this script: the next build checks
 * everything again instead of trusting a stamp that no longer describes dist/.
 */
export function forgetBuildStamp() {
  fs.rmSync(stampFile, { force: true });
}

/** Copies what tsc does not (each domain's templates/) into dist/. */
export async function copyAssets() {
  const script = path.join(root, 'scripts', 'copy-assets.mjs');
  if (!fs.existsSync(script)) return;
  const { code, output } = await run(process.execPath, [script, 'dist']);
  if (code !== 0) {
    process.stderr.write(output);
    throw new BuildError('Copying the templates into dist/ failed (above).');
  }
}

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureBuilt().then(
    (compiled) => compiled || process.stdout.write('dist/ is up to date.\n'),
    (error) => {
      process.stderr.write(`${error instanceof BuildError ? error.message : (error?.stack ?? error)}\n`);
      process.exit(1);
    },
  );
}
