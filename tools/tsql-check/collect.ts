/**
 * `npm run check:tsql`: compiles the MSSQL branch of every migration and every repository query
 * without a server (Kysely's MssqlAdapter + MssqlQueryCompiler + DummyDriver record the SQL), then
 * has Microsoft's ScriptDom parser check it (tools/tsql-check/run.sh), including the DDL column-type
 * allow-list. Each domain's tests/<domain>.tsql.ts must call every exported repository function.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Kysely } from 'kysely';
import { compileOnlyMssql } from '../../shared/db/compile-only.js';
import { messagingMigration } from '../../shared/events/outbox.migration.js';
import { registry } from '../../shared/functions/registry.js';
import { exerciseSharedQueries } from './shared-queries.js';

interface Entry {
  source: string;
  sql: string;
  kind: 'ddl' | 'query';
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const entries: Entry[] = [];
let current: Omit<Entry, 'sql'> = { source: '', kind: 'query' };

const db = compileOnlyMssql((sql) => entries.push({ ...current, sql }));

const problems: string[] = [];

await import('../../functions/index.js');

current = { source: 'migration shared/outbox-and-inbox', kind: 'ddl' };
await messagingMigration.up(db, 'mssql');
for (const domain of registry.domains) {
  for (const migration of domain.migrations) {
    current = { source: `migration ${domain.name}/${migration.name}`, kind: 'ddl' };
    await migration.up(db, 'mssql');
  }
}

current = { source: 'query shared (outbox, relay, inbox)', kind: 'query' };
await exerciseSharedQueries(db);

for (const domain of registry.domains.filter((d) => d.migrations.length > 0)) {
  const folder = path.join(root, 'functions', domain.name);
  const repositoryFile = path.join(folder, `${domain.name}.repository.ts`);
  const exerciseFile = path.join(folder, 'tests', `${domain.name}.tsql.ts`);
  if (!fs.existsSync(repositoryFile)) continue;
  if (!fs.existsSync(exerciseFile)) {
    problems.push(
      `${domain.name}: ${path.relative(root, exerciseFile)} is missing (it must call every repository function)`,
    );
    continue;
  }
  const repository = (await import(pathToFileURL(repositoryFile).href)) as Record<string, unknown>;
  const { exercise } = (await import(pathToFileURL(exerciseFile).href)) as {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    exercise: (db: Kysely<any>) => Promise<string[]>;
  };
  current = { source: `query ${domain.name}.repository`, kind: 'query' };
  const called = new Set(await exercise(db));
  const exported = Object.entries(repository)
    .filter(([, value]) => typeof value === 'function')
    .map(([name]) => name);
  const missed = exported.filter((name) => !called.has(name));
  if (missed.length > 0)
    problems.push(`${domain.name}: the T-SQL exercise does not call ${missed.join(', ')}`);
}

const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tsql-')), 'entries.json');
fs.writeFileSync(file, JSON.stringify(entries, null, 2));
process.stdout.write(
  `tsql-check: collected ${entries.length} statements from ${registry.domains.length} domains\n`,
);
const result = spawnSync('bash', [path.join(root, 'tools/tsql-check/run.sh'), file], { stdio: 'inherit' });
for (const p of problems) process.stderr.write(`ERROR [coverage] ${p}\n`);
process.exit(result.status === 0 && problems.length === 0 ? 0 : (result.status ?? 1) || 1);
