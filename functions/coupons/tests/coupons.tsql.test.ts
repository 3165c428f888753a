import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mssqlRecorder } from '../../../shared/db/compile-only.js';
import * as repo from '../coupons.repository.js';
import { couponsMigrations } from '../migrations/2026_11_25_1100_create_coupons.js';
import { exercise } from './coupons.tsql.js';

describe('coupons T-SQL exercise', () => {
  it('calls every function of the repository', async () => {
    const called = await exercise(mssqlRecorder().db);
    const exported = Object.entries(repo)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => name);
    assert.deepEqual([...called].sort(), exported.sort());
  });

  it('compiles migrations and queries without SQLite-only syntax', async () => {
    const { db, statements } = mssqlRecorder();
    for (const migration of couponsMigrations) await migration.up(db, 'mssql');
    await exercise(db);
    assert.ok(statements.length > 20);
    for (const sql of statements) {
      assert.doesNotMatch(sql, /\b(limit|returning|autoincrement|if not exists)\b/i, sql);
      assert.doesNotMatch(sql, /\b(text|boolean|timestamp)\b(?!\()/i, sql);
    }
  });
});
