import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mssqlRecorder } from '../../../shared/db/compile-only.js';
import * as repo from '../cart.repository.js';
import { cartMigrations } from '../migrations/2026_11_25_1200_create_cart.js';
import { exercise } from './cart.tsql.js';

describe('cart T-SQL exercise', () => {
  it('calls every function of the repository', async () => {
    const called = await exercise(mssqlRecorder().db);
    const exported = Object.entries(repo)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => name);
    assert.deepEqual([...called].sort(), exported.sort());
  });

  it('compiles migrations and queries without SQLite-only syntax', async () => {
    const { db, statements } = mssqlRecorder();
    for (const migration of cartMigrations) await migration.up(db, 'mssql');
    await exercise(db);
    assert.ok(statements.length > 10);
    for (const sql of statements) {
      assert.doesNotMatch(sql, /\b(limit|returning|autoincrement|if not exists)\b/i, sql);
      assert.doesNotMatch(sql, /\b(text|boolean|timestamp)\b(?!\()/i, sql);
    }
  });
});
