import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mssqlRecorder } from '../../shared/db/compile-only.js';
import { readBigint } from '../../shared/db/mssql-driver.js';
import { registry } from '../../shared/functions/registry.js';
import '../../functions/index.js';

/** Money in minor units and points that can pass 2^31 (an int's limit on SQL Server). */
const mustBeBigint: Record<string, [table: string, column: string][]> = {
  orders: [
    ['orders', 'subtotal_minor'],
    ['orders', 'discount_minor'],
    ['orders', 'total_minor'],
  ],
  coupons: [
    ['coupon_redemptions', 'amount_minor'],
    ['coupon_redemptions', 'discount_minor'],
  ],
  rewards: [
    ['reward_accounts', 'balance'],
    ['reward_accounts', 'owed'],
    ['reward_entries', 'points'],
    ['reward_entries', 'balance_change'],
    ['reward_entries', 'owed_change'],
    ['reward_entries', 'balance_after'],
    ['reward_redemptions', 'points'],
    ['reward_redemptions', 'amount_minor'],
  ],
};

describe('amounts that can pass 2^31 are bigint on SQL Server', () => {
  for (const [domain, columns] of Object.entries(mustBeBigint)) {
    it(`${domain}: ${columns.map(([t, c]) => `${t}.${c}`).join(', ')}`, async () => {
      const { db, statements } = mssqlRecorder();
      const module = registry.domains.find((d) => d.name === domain);
      assert.ok(module, domain);
      for (const migration of module.migrations) await migration.up(db, 'mssql');
      const ddl = statements.join('\n');
      for (const [table, column] of columns)
        assert.match(
          ddl,
          new RegExp(`alter table "${table}" alter column "${column}" bigint not null`),
          `${table}.${column}`,
        );
      // Every CHECK it had to drop comes back.
      const dropped = [...ddl.matchAll(/drop constraint "(ck_\w+)"/g)].map((m) => m[1]);
      for (const name of dropped) assert.match(ddl, new RegExp(`add constraint "${name}" check`), name);
    });
  }

  it('reads bigint values back as numbers while they are exact', () => {
    assert.equal(readBigint('4950000000000'), 4_950_000_000_000);
    assert.equal(readBigint('-12'), -12);
    assert.equal(readBigint('9007199254740993'), '9007199254740993', 'beyond 2^53 it stays exact text');
    assert.equal(readBigint(null), null);
  });
});
