// `npm run build`, after tsc: copies what tsc does not (each domain's templates/ folder) into the
// output, beside the compiled modules that read them. The Azure package is built by the same script
// (azd's remote build runs `npm run build`). Usage: node scripts/copy-assets.mjs [outDir=dist]
import fs from 'node:fs';
import path from 'node:path';

const outDir = process.argv[2] ?? 'dist';
const copied = [];
for (const domain of fs.readdirSync('functions', { withFileTypes: true })) {
  const templates = path.join('functions', domain.name, 'templates');
  if (!domain.isDirectory() || !fs.existsSync(templates)) continue;
  const target = path.join(outDir, templates);
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(templates, target, { recursive: true });
  copied.push(templates);
}
console.log(`copy-assets: ${copied.join(', ') || 'nothing'} -> ${outDir}`);
