import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bcrypt from 'bcrypt';
import { demoAccounts } from '../demo-accounts.js';

describe('the demo accounts’ shipped password hashes', () => {
  for (const account of demoAccounts) {
    it(`${account.email}: a cost-12 bcrypt hash of its documented password`, async () => {
      assert.equal(bcrypt.getRounds(account.passwordHash), 12);
      assert.equal(await bcrypt.compare(account.password, account.passwordHash), true);
      assert.equal(await bcrypt.compare(`${account.password}x`, account.passwordHash), false);
    });
  }
});
