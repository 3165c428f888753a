/**
 * Runs requests.http against a running shop, top to bottom, and prints each answer's status:
 *
 *   node --import tsx tools/requests/run.ts [--api http://127.0.0.1:7072/api]
 *
 * Exits 1 when a request answers an error it does not `# @allow`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runHttpFile } from './http-file.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const i = process.argv.indexOf('--api');
const api = i === -1 ? undefined : process.argv[i + 1];
const overrides: Record<string, string> = api ? { api, local: api.replace(/\/api\/?$/, '') } : {};
const answers = await runHttpFile(path.join(root, 'requests.http'), overrides, (a) => {
  const message =
    typeof a.body === 'object' && a.body !== null ? (a.body as { message?: string }).message : '';
  console.log(
    `${a.ok ? 'ok  ' : 'FAIL'} ${a.status} ${a.request.method} ${a.request.title}${message ? ` (${message})` : ''}`,
  );
});
process.exit(answers.every((a) => a.ok) ? 0 : 1);
