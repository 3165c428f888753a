// `npm run dev`: `npm start` that restarts on change. The TypeScript compiler watches the sources
// (incrementally, into dist/), and each compile that ends without errors restarts the local host,
// after the previous one has finished its requests and let go of the port, from a new bundle (as
// `npm start` runs it). A compile with errors leaves the running host alone until they are fixed.
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { BuildError, bundle, ensureBuilt, forgetBuildStamp } from './build.mjs';
import { localHostEntry } from './bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => process.stdout.write(`[dev] ${line}\n`);

try {
  await ensureBuilt();
} catch (error) {
  process.stderr.write(`${error instanceof BuildError ? error.message : (error?.stack ?? error)}\n`);
  process.exit(1);
}
// From here the watcher writes dist/, not build.mjs: the next `npm start` checks it all again.
forgetBuildStamp();

let app;
let stopping = false;

function startApp() {
  app = spawn(process.execPath, ['--enable-source-maps', localHostEntry()], {
    cwd: root,
    stdio: 'inherit',
  });
  const self = app;
  self.on('exit', (code, signal) => {
    if (app === self) app = undefined;
    if (stopping) return;
    if (self.restarting) return;
    say(`the local host stopped (${signal ?? `exit ${code}`}); it starts again on the next change`);
  });
}

function stopApp() {
  const running = app;
  if (!running || running.exitCode !== null) return Promise.resolve();
  running.restarting = true;
  return new Promise((resolve) => {
    const force = setTimeout(() => running.kill('SIGKILL'), 10_000);
    running.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    running.kill('SIGINT');
  });
}

const tscBin = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const tsc = spawn(
  process.execPath,
  [tscBin, '-b', 'tsconfig.build.json', '--watch', '--preserveWatchOutput', '--pretty', 'false'],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
);
let changed = false;
/** Restarts one after another: a compile that ends while the last restart is still on its way waits for it. */
let restarts = Promise.resolve();
readline.createInterface({ input: tsc.stdout }).on('line', (line) => {
  if (/File change detected/.test(line)) {
    changed = true;
    say('sources changed; compiling...');
    return;
  }
  const found = /Found (\d+) errors?\. Watching for file changes/.exec(line);
  if (found) {
    const errors = Number(found[1]);
    if (errors > 0) say(`${errors} TypeScript error(s) above; the running host keeps the last good build`);
    else if (changed || !app) {
      changed = false;
      restarts = restarts.then(async () => {
        say(app ? 'compiled; restarting the local host' : 'starting the local host');
        // Stopped first: the running host may still import chunks of the bundle being replaced.
        await stopApp();
        await bundle();
        startApp();
      });
    }
    return;
  }
  if (
    /Starting compilation in watch mode|Projects in this build|is up to date/.test(line) ||
    line.trim() === ''
  )
    return;
  process.stdout.write(`${line}\n`);
});

startApp();
say('watching functions/ and shared/ (Ctrl+C stops)');

const shutdown = () => {
  if (stopping) return;
  stopping = true;
  tsc.kill('SIGTERM');
  void stopApp().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
