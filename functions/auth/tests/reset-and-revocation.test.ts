import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { LocalMailbox } from '../../../shared/email/local-mailbox.js';
import { REDACTED } from '../../../shared/events/redaction.js';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import { authDeps } from '../auth.deps.js';
import type { AuthTables } from '../auth.tables.js';
import type { PasswordHasher } from '../passwords.js';
import { FORGOT_PASSWORD_ANSWER_MS } from '../passwords.service.js';
import '../index.js';
import '../../email/index.js';
import { adminEnv, aSignedInCustomer, signIn, signInAdmin } from './auth.builders.js';

let host: TestHost;
// ACCESS_TOKEN_MINUTES blank: the production default (the test host's own is longer).
before(async () => (host = await startTestHost({ env: { ...adminEnv, ACCESS_TOKEN_MINUTES: '' } })));
after(() => host.close());

let original: PasswordHasher | undefined;
afterEach(() => {
  if (original) authDeps(host.platform).passwords = original;
  original = undefined;
});
/** Counts bcrypt work (hashes and comparisons) from here on. */
function countBcrypt(): { hashes: number; compares: number } {
  const deps = authDeps(host.platform);
  original = deps.passwords;
  const inner = original;
  const counts = { hashes: 0, compares: 0 };
  deps.passwords = {
    hash: (p) => (counts.hashes++, inner.hash(p)),
    verify: (p, h) => (counts.compares++, inner.verify(p, h)),
  };
  return counts;
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

describe('resetpassword and forgotpassword tell no account apart', () => {
  it('resetpassword does the same bcrypt work for an unknown email as for a known one', async () => {
    const me = await aSignedInCustomer(host);
    const counts = countBcrypt();
    const known = await host.call('POST', '/api/auth/resetpassword', {
      json: { email: me.email, token: 'not-a-token', newPassword: 'Reset#Pass789' },
    });
    const afterKnown = counts.hashes + counts.compares;
    const unknown = await host.call('POST', '/api/auth/resetpassword', {
      json: { email: 'nobody-here@example.com', token: 'not-a-token', newPassword: 'Reset#Pass789' },
    });
    assert.equal(known.status, 400);
    assert.deepEqual(unknown.body, known.body);
    assert.equal(afterKnown, 1);
    assert.equal(counts.hashes + counts.compares - afterKnown, 1, 'the unknown email cost one bcrypt too');
  });

  it('forgotpassword answers known and unknown emails alike, and no sooner than the floor', async () => {
    const me = await aSignedInCustomer(host);
    const known = await timed(() =>
      host.call('POST', '/api/auth/forgotpassword', { json: { email: me.email } }),
    );
    const unknown = await timed(() =>
      host.call('POST', '/api/auth/forgotpassword', { json: { email: 'nobody-here@example.com' } }),
    );
    assert.equal(known.result.status, 200);
    assert.deepEqual(unknown.result.body, known.result.body);
    for (const t of [known, unknown]) assert.ok(t.ms >= FORGOT_PASSWORD_ANSWER_MS - 5, `${t.ms} ms`);
    assert.ok(Math.abs(known.ms - unknown.ms) < 150, `${known.ms} vs ${unknown.ms} ms`);
  });
});

describe('the reset token is a secret in transit', () => {
  it('is mailed, then gone from the outbox, and never logged', async () => {
    const me = await aSignedInCustomer(host);
    await host.call('POST', '/api/auth/forgotpassword', { json: { email: me.email } });
    await host.settle();
    const mail = (await (host.platform.mailer as LocalMailbox).list()).find((m) => m.to === me.email);
    const token = mail?.text.match(/reset code is: (\S+)/)?.[1] ?? '';
    assert.ok(token.length > 20, 'the local mailbox shows the developer the link');

    const db = host.platform.database<AuthTables>('auth').db;
    const rows = await db
      .selectFrom('outbox')
      .select(['body', 'published_at'])
      .where('event_name', '=', 'PasswordResetRequested')
      .execute();
    const mine = rows.find(
      (r) => (JSON.parse(r.body) as { data: { email: string } }).data.email === me.email,
    );
    assert.ok(mine?.published_at, 'published');
    assert.ok(!mine.body.includes(token), 'the published outbox copy keeps no token');
    assert.equal((JSON.parse(mine.body) as { data: { token: string } }).data.token, REDACTED);

    const reset = await host.call('POST', '/api/auth/resetpassword', {
      json: { email: me.email, token, newPassword: 'Reset#Pass789' },
    });
    assert.equal(reset.status, 200);
    assert.ok(!JSON.stringify(host.logs).includes(token), 'no log line holds the token');
  });
});

describe('revocation: a signed-out token stops working where it matters', () => {
  it('issues access tokens that live 10 minutes by default', async () => {
    const me = await aSignedInCustomer(host);
    const [, payload = ''] = me.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iat: number; exp: number };
    assert.equal(claims.exp - claims.iat, 600);
  });

  it('refuses the token of a signed-out session on changepassword (401), at once', async () => {
    const me = await aSignedInCustomer(host);
    const out = await host.call('POST', '/api/auth/logout', { token: me.token });
    assert.equal(out.status, 200);
    const res = await host.call('POST', '/api/auth/changepassword', {
      token: me.token,
      json: { currentPassword: me.password, newPassword: 'Brand#New456' },
    });
    assert.equal(res.status, 401);
    assert.equal(res.body.code, 'token_invalid');
  });

  it("refuses an ADMIN's token on role changes once a password change ended that session", async () => {
    const admin = await signInAdmin(host);
    const laptop = await signIn(host, adminEnv.ADMIN_EMAIL, adminEnv.ADMIN_PASSWORD);
    const me = await aSignedInCustomer(host);
    const changed = await host.call('POST', '/api/auth/changepassword', {
      token: admin.token,
      json: { currentPassword: adminEnv.ADMIN_PASSWORD, newPassword: 'Root#Pass456' },
    });
    assert.equal(changed.status, 200, changed.text);
    const fromLaptop = await host.call('POST', '/api/auth/assignrole', {
      token: laptop.token,
      json: { email: me.email, role: 'ADMIN' },
    });
    assert.equal(fromLaptop.status, 401);
    const fromHere = await host.call('POST', '/api/auth/assignrole', {
      token: admin.token,
      json: { email: me.email, role: 'CUSTOMER' },
    });
    assert.equal(fromHere.status, 200, 'the session that changed the password stays');
    await host.call('POST', '/api/auth/changepassword', {
      token: admin.token,
      json: { currentPassword: 'Root#Pass456', newPassword: adminEnv.ADMIN_PASSWORD },
    });
  });

  it("refuses a signed-out customer's token on the profile (personal data), at once", async () => {
    const me = await aSignedInCustomer(host);
    assert.equal((await host.call('POST', '/api/auth/logout', { token: me.token })).status, 200);
    const form = new FormData();
    form.set('address', '1 Attacker Street');
    const res = await host.call('POST', '/api/auth/edituser', { token: me.token, form });
    assert.equal(res.status, 401, res.text);
    assert.equal(res.body.code, 'token_invalid');
  });

  it("refuses a signed-out ADMIN's token on another user's profile (an ADMIN write on a user route)", async () => {
    const admin = await signInAdmin(host);
    const me = await aSignedInCustomer(host);
    assert.equal((await host.call('POST', '/api/auth/logout', { token: admin.token })).status, 200);
    const form = new FormData();
    form.set('email', me.email);
    form.set('name', 'Renamed by a stolen token');
    const res = await host.call('POST', '/api/auth/edituser', { token: admin.token, form });
    assert.equal(res.status, 401, res.text);
    assert.equal(res.body.code, 'token_invalid');
    const profile = await host.call('GET', `/api/auth/getuser/${me.id}`, { token: me.token });
    assert.notEqual((profile.body.data as { name: string }).name, 'Renamed by a stolen token');
  });
});
