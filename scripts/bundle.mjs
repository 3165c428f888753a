// The last step of the build for the local host: bundles what tsc wrote for it (dist/functions/local.js
// and every module it imports) into dist/bundle/ with esbuild. Node then reads a handful of files
// instead of about a thousand (kysely alone is hundreds of small ES modules): a start on existing
// data takes about half the time (`npm run bench -- cold-start`). The Azure Functions host keeps
// loading dist/functions/azure.js, unbundled.
//
// Left outside the bundle, and loaded from node_modules as before: native modules (bcrypt,
// better-sqlite3, sharp), what the local host imports only when a setting or a first use asks for it
// (the Azure SDKs, mssql, Stripe's SDK, the upload checks), and packages that find their own files
// on disk (swagger-ui-dist).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const bundleDir = path.join(root, 'dist', 'bundle');
export const bundleEntry = path.join(bundleDir, 'local.js');
const unbundledEntry = path.join(root, 'dist', 'functions', 'local.js');

/** What `npm start` and `npm run dev` run: the bundle, or the same modules unbundled when there is none. */
export function localHostEntry() {
  return fs.existsSync(bundleEntry) ? bundleEntry : unbundledEntry;
}

const external = [
  'bcrypt',
  'better-sqlite3',
  'sharp',
  'mssql',
  '@azure/*',
  'applicationinsights',
  'stripe',
  'file-type',
  'sanitize-html',
  'swagger-ui-dist',
];

/**
 * Bundles the local host. Resolves with false (and leaves start-up to the unbundled dist/) when
 * esbuild is not installed, as after `npm ci --omit=dev`; any other failure rejects, with no bundle
 * left behind.
 */
export async function bundleLocalHost() {
  // First of all: a bundle of older sources must never outlive a build that could not remake it.
  fs.rmSync(bundleDir, { recursive: true, force: true });
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch (error) {
    if (error?.code === 'ERR_MODULE_NOT_FOUND') return false;
    throw error;
  }
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['dist/functions/local.js'],
    bundle: true,
    // Lazy imports (the Azure adapters, the demo drawings) stay lazy: each becomes its own chunk.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: bundleDir,
    entryNames: '[name]',
    // Chunks beside the entry: every output file's import.meta.url has the same folder (see below).
    chunkNames: '[name]-[hash]',
    // Chained through tsc's own maps, so stack traces still name the TypeScript lines.
    sourcemap: 'linked',
    logLevel: 'warning',
    external,
    // CommonJS packages inside an ES module bundle call require() for Node's built-ins.
    banner: {
      js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);",
    },
    plugins: [keepModuleUrls],
    metafile: true,
    // Less to parse at each start; the source maps keep the TypeScript lines.
    minifyWhitespace: true,
    minifySyntax: true,
  });
  // What went into the bundle (the import bench names the packages from it).
  fs.writeFileSync(path.join(bundleDir, 'meta.json'), JSON.stringify(result.metafile));
  return true;
}

/**
 * A module that finds files beside itself (`new URL('./templates/', import.meta.url)`) keeps
 * finding them: its import.meta.url becomes its own dist/ file's URL, relative to the bundle.
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(build) {
    build.onLoad({ filter: /[\\/]dist[\\/](functions|shared)[\\/].*\.js$/ }, (args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const relative = path.relative(bundleDir, args.path).split(path.sep).join('/');
      const ownUrl = `new URL(${JSON.stringify(relative)}, import.meta.url).href`;
      return {
        contents: text.replaceAll('import.meta.url', ownUrl),
        loader: 'js',
        resolveDir: path.dirname(args.path),
      };
    });
  },
};
