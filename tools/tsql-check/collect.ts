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
import { fileURLToPath } from 'node:url';
import { compileOnlyMssql } from '../../shared/db/compile-only.js';
import { SAVEPOINT_STATEMENTS } from '../../shared/db/mssql-driver.js';
import { messagingMigration, outboxParkingMigration } from '../../shared/events/outbox.migration.js';
import { registry } from '../../shared/functions/registry.js';
import { coverageProblems, domainQueries } from './domains.js';
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
current = { source: 'migration shared/outbox-parking', kind: 'ddl' };
await outboxParkingMigration.up(db, 'mssql');
for (const domain of registry.domains) {
  for (const migration of domain.migrations) {
    current = { source: `migration ${domain.name}/${migration.name}`, kind: 'ddl' };
    await migration.up(db, 'mssql');
  }
}

for (const sql of Object.values(SAVEPOINT_STATEMENTS))
  entries.push({ source: 'query shared/db/mssql-driver (savepoints)', kind: 'query', sql });

current = { source: 'query shared (outbox, relay, inbox)', kind: 'query' };
await exerciseSharedQueries(db);

for (const queries of await domainQueries()) {
  current = { source: `query ${queries.domain}.repository`, kind: 'query' };
  const called = queries.exercise ? await queries.exercise(db) : undefined;
  problems.push(...coverageProblems(queries, called));
}

const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tsql-')), 'entries.json');
fs.writeFileSync(file, JSON.stringify(entries, null, 2));
process.stdout.write(
  `tsql-check: collected ${entries.length} statements from ${registry.domains.length} domains\n`,
);
const result = spawnSync('bash', [path.join(root, 'tools/tsql-check/run.sh'), file], { stdio: 'inherit' });
for (const p of problems) process.stderr.write(`ERROR [coverage] ${p}\n`);
process.exit(result.status === 0 && problems.length === 0 ? 0 : (result.status ?? 1) || 1);
