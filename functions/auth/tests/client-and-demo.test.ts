import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import { demoAccounts } from '../demo-accounts.js';
import { getUserContact, getUserContacts } from '../auth.client.js';
import '../index.js';
import { aSignedInCustomer, signIn } from './auth.builders.js';

let host: TestHost;
before(async () => (host = await startTestHost({ demo: true })));
after(() => host.close());

describe('auth.client', () => {
  it("gives other domains a user's name, email and phone, for many users at once", async () => {
    const a = await aSignedInCustomer(host, { name: 'Ann', phoneNumber: '0400 111 222' });
    const b = await aSignedInCustomer(host, { name: 'Ben' });
    const contacts = await getUserContacts([a.id, b.id, '00000000-0000-4000-8000-000000000000']);
    assert.equal(contacts.size, 2);
    assert.deepEqual(contacts.get(a.id), {
      userId: a.id,
      name: 'Ann',
      email: a.email,
      phoneNumber: '0400 111 222',
    });
    assert.equal((await getUserContact(b.id))?.name, 'Ben');
    assert.equal(await getUserContact('nobody'), undefined);
  });
});

describe('local demo data', () => {
  it('creates every documented demo account, the storefront’s built-in one as a customer', async () => {
    for (const account of demoAccounts) {
      const session = await signIn(host, account.email, account.password);
      const roles = host.platform.tokens.verify(session.token).roles;
      assert.equal(roles.includes('ADMIN'), account.role === 'ADMIN', account.email);
    }
    const builtIn = await signIn(host, 'anhdongoc18@gmail.com', 'Admin@123');
    assert.deepEqual(host.platform.tokens.verify(builtIn.token).roles, ['CUSTOMER']);
  });
});
