import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DomainMigration } from '../db/migrations.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { prepareDomains } from './prepare.js';
import { register } from './registry.js';

// Two domains of this test only, prepared side by side as real ones are. Beta's schema takes longer
// than alpha's (as a slow database would): a bootstrap that ran as soon as its own domain was
// migrated would run before beta had its tables.
const steps: string[] = [];
let failAlpha = false;

const thingsTable = (domain: string, waitMs: number): DomainMigration => ({
  name: `2026_12_03_0000_${domain}_things`,
  async up(db) {
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    await db.schema.createTable('things').addColumn('id', 'integer').execute();
    steps.push(`${domain} migrated`);
  },
});

register.domain({
  name: 'alpha',
  migrations: [thingsTable('alpha', 0)],
  async bootstrap() {
    steps.push('alpha bootstrapped');
    if (failAlpha) throw new Error('alpha could not bootstrap');
  },
});
register.domain({
  name: 'beta',
  migrations: [thingsTable('beta', 150)],
  async bootstrap() {
    await new Promise((resolve) => setTimeout(resolve, 50));
    steps.push('beta bootstrapped');
  },
});

describe('preparing the domains side by side', () => {
  let host: TestHost;
  before(async () => (host = await startTestHost()));
  after(() => host.close());

  it('migrates every domain before any bootstrap runs', () => {
    assert.deepEqual(steps, ['alpha migrated', 'beta migrated', 'alpha bootstrapped', 'beta bootstrapped']);
  });

  it('lets the other domains finish when one fails, then throws that failure', async () => {
    steps.length = 0;
    failAlpha = true;
    await assert.rejects(prepareDomains(host.platform, { demo: false }), /alpha could not bootstrap/);
    // Beta's bootstrap ends 50 ms after alpha's failure, and still before the failure is thrown.
    assert.deepEqual(steps, ['alpha bootstrapped', 'beta bootstrapped']);
  });
});
