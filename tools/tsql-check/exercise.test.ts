import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mssqlRecorder } from '../../shared/db/compile-only.js';
import { registry } from '../../shared/functions/registry.js';
import '../../functions/index.js';
import { coverageProblems, domainQueries } from './domains.js';

/**
 * The part of the T-SQL check that needs only Node: every domain's exercise calls every repository
 * function, and what its migrations and queries compile to has no SQLite-only syntax. (ScriptDom's
 * full parse runs in `npm run check:tsql`, which needs the .NET SDK.)
 */
const all = await domainQueries();

describe('T-SQL exercises', () => {
  it('exist for every domain with a repository', () => {
    assert.ok(all.length >= 4, `found ${all.map((q) => q.domain).join(', ')}`);
  });

  for (const queries of all) {
    it(`${queries.domain}: calls every repository function`, async () => {
      const called = queries.exercise ? await queries.exercise(mssqlRecorder().db) : undefined;
      assert.deepEqual(coverageProblems(queries, called), []);
    });

    it(`${queries.domain}: compiles migrations and queries without SQLite-only syntax`, async () => {
      const { db, statements } = mssqlRecorder();
      const domain = registry.domains.find((d) => d.name === queries.domain);
      for (const migration of domain?.migrations ?? []) await migration.up(db, 'mssql');
      await queries.exercise?.(db);
      assert.ok(statements.length > queries.exported.length, `${statements.length} statements`);
      for (const sql of statements) {
        assert.doesNotMatch(sql, /\b(limit|returning|autoincrement|if not exists)\b/i, sql);
        assert.doesNotMatch(sql, /\b(text|boolean|timestamp)\b(?!\()/i, sql);
      }
    });
  }
});
