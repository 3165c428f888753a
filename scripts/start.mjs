// `npm start`: compiles what changed (nothing, usually: see build.mjs), then runs the local host
// from dist/, the same JavaScript the Azure Functions host runs, in this process.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BuildError, ensureBuilt } from './build.mjs';

try {
  await ensureBuilt();
} catch (error) {
  process.stderr.write(`${error instanceof BuildError ? error.message : (error?.stack ?? error)}\n`);
  process.exit(1);
}
// Stack traces name the TypeScript lines (dist/ carries source maps).
process.setSourceMapsEnabled(true);
await import(pathToFileURL(path.resolve('dist/functions/local.js')).href);
