/**
 * The dependency rule (docs: README, "How it is built"): imports run one way, entries -> domains ->
 * kernel.
 *
 *   functions/*.ts          the entries (Azure, local host, CLIs) and their tests: may import anything
 *   functions/<domain>/**   a domain: `shared/`, its own files, and another domain only through that
 *                           domain's `<domain>.client.ts`; never an entry
 *     its tests             also, of another domain, what a client of its HTTP API would use: its
 *                           `index.ts` (registers its routes in a test host), `functions/index.ts`
 *                           (the whole shop, for a journey), its `tests/*.builders.ts` (test data
 *                           made through its API) and its `*.schemas.ts` (the shapes it answers)
 *   shared/**               the kernel, tests included: `shared/` only
 *
 * tools/, bench/ and scripts/ stand outside the app and may import any of it. Each import
 * (static, `export ... from`, type-only, or `import()` of a string) is read with the TypeScript
 * compiler's own pre-processor, so nothing is run.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface Violation {
  file: string;
  imports: string;
  rule: string;
}

type Place =
  | { kind: 'entry' }
  | { kind: 'domain'; domain: string; rest: string }
  | { kind: 'kernel' }
  | { kind: 'outside' };

/** Where a repository-relative path (with `/`) stands in the layering. */
export function placeOf(file: string): Place {
  const parts = file.split('/');
  if (parts[0] === 'shared') return { kind: 'kernel' };
  if (parts[0] === 'functions') {
    if (parts.length === 2) return { kind: 'entry' };
    return { kind: 'domain', domain: parts[1] ?? '', rest: parts.slice(2).join('/') };
  }
  return { kind: 'outside' };
}

const isTest = (file: string) => file.endsWith('.test.ts') || file.split('/').includes('tests');

/** What a domain's test may use of another domain, inside that domain's folder. */
const testMayUse = (rest: string) =>
  rest === 'index.ts' || /^tests\/[^/]+\.builders\.ts$/.test(rest) || /^[^/]+\.schemas\.ts$/.test(rest);

/** Why `file` may not import `target` (both repository-relative), or undefined when it may. */
export function ruleBroken(file: string, target: string): string | undefined {
  const from = placeOf(file);
  const to = placeOf(target);
  switch (from.kind) {
    case 'outside':
    case 'entry':
      return undefined;
    case 'kernel':
      return to.kind === 'kernel' ? undefined : 'shared/ (the kernel) imports nothing above it: only shared/';
    case 'domain':
      if (to.kind === 'kernel' || to.kind === 'outside') return undefined;
      if (to.kind === 'entry')
        return target === 'functions/index.ts' && isTest(file)
          ? undefined
          : 'a domain never imports an entry (functions/*.ts): the entries import the domains';
      if (to.domain === from.domain) return undefined;
      if (to.rest === `${to.domain}.client.ts`) return undefined;
      if (isTest(file) && testMayUse(to.rest)) return undefined;
      return isTest(file)
        ? `a domain's test uses of another domain only its ${to.domain}.client.ts, index.ts, tests/*.builders.ts and *.schemas.ts`
        : `a domain reaches another domain only through its ${to.domain}.client.ts`;
  }
}

/** The relative imports of one source file, as repository-relative `.ts` paths. */
export function importsOf(root: string, file: string, text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => {
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      const ts = resolved.replace(/\.js$/, '.ts');
      const exists = (rel: string) => fs.existsSync(path.join(root, rel));
      return exists(ts) ? ts : exists(`${resolved}/index.ts`) ? `${resolved}/index.ts` : ts;
    });
}

/** Every `.ts` file under the app's folders, repository-relative. */
export function appFiles(root: string, folders = ['functions', 'shared']): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(rel);
    }
  };
  for (const folder of folders) if (fs.existsSync(path.join(root, folder))) walk(folder);
  return files.sort();
}

/** Every import of the app that breaks the rule. */
export function violations(root: string, files = appFiles(root)): Violation[] {
  return files.flatMap((file) =>
    importsOf(root, file, fs.readFileSync(path.join(root, file), 'utf8')).flatMap((target) => {
      const rule = ruleBroken(file, target);
      return rule ? [{ file, imports: target, rule }] : [];
    }),
  );
}
