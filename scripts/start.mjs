// `npm start`: compiles what changed (nothing, usually: see build.mjs), then runs the local host
// from dist/bundle/ (the JavaScript tsc wrote, bundled: scripts/bundle.mjs), in this process.
import { pathToFileURL } from 'node:url';
import { BuildError, ensureBuilt } from './build.mjs';
import { localHostEntry } from './bundle.mjs';

try {
  await ensureBuilt();
} catch (error) {
  process.stderr.write(`${error instanceof BuildError ? error.message : (error?.stack ?? error)}\n`);
  process.exit(1);
}
// Stack traces name the TypeScript lines (dist/ carries source maps).
process.setSourceMapsEnabled(true);
// Without esbuild (npm ci --omit=dev) there is no bundle: the same modules, unbundled.
await import(pathToFileURL(localHostEntry()).href);
