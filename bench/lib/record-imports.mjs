// Loaded with `node --import` by the import bench: records every package the shop resolves while it
// starts (into the file named by RECORD_IMPORTS), so the bench can say which heavy ones a start loads.
import fs from 'node:fs';
import { register } from 'node:module';

const file = process.env.RECORD_IMPORTS;
if (file) {
  fs.writeFileSync(file, '');
  register(
    'data:text/javascript,' +
      encodeURIComponent(`
        import fs from 'node:fs';
        const seen = new Set();
        export async function resolve(specifier, context, next) {
          const resolved = await next(specifier, context);
          const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(resolved.url);
          if (m && !seen.has(m[1])) { seen.add(m[1]); fs.appendFileSync(${JSON.stringify(file)}, m[1] + '\\n'); }
          return resolved;
        }`),
  );
}
