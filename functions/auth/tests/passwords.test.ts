import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LocalMailbox } from '../../../shared/email/local-mailbox.js';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import type { AuthTables } from '../auth.tables.js';
import '../index.js';
// The reset email is the email domain's: forgotpassword only records the request (PasswordResetRequested).
import '../../email/index.js';
import { adminEnv, aSignedInCustomer, signIn, signInAdmin } from './auth.builders.js';

let host: TestHost;
before(async () => (host = await startTestHost({ env: adminEnv })));
after(() => host.close());

const refreshStatus = async (a: { token: string; refreshToken: string }) =>
  (
    await host.call('POST', '/api/auth/refresh', {
      json: { accessToken: a.token, refreshToken: a.refreshToken },
    })
  ).status;

async function lastResetToken(email: string): Promise<string> {
  await host.settle();
  const mailbox = host.platform.mailer as LocalMailbox;
  const mail = (await mailbox.list()).find((m) => m.to === email);
  const token = mail?.text.match(/reset code is: (\S+)/)?.[1];
  if (!token) throw new Error(`no reset email for ${email}`);
  return token;
}

describe('POST /api/auth/changepassword', () => {
  it('changes the password, keeps this session, ends the others, and emits PasswordChanged', async () => {
    const me = await aSignedInCustomer(host);
    const laptop = await signIn(host, me.email, me.password);
    const res = await host.call('POST', '/api/auth/changepassword', {
      token: me.token,
      json: { email: me.email, currentPassword: me.password, newPassword: 'Brand#New456' },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(await refreshStatus(me), 200);
    assert.equal(await refreshStatus(laptop), 401);
    assert.equal(
      (await host.call('POST', '/api/auth/login', { json: { email: me.email, password: me.password } }))
        .status,
      400,
    );
    assert.equal(
      (await host.call('POST', '/api/auth/login', { json: { email: me.email, password: 'Brand#New456' } }))
        .status,
      200,
    );
    const db = host.platform.database<AuthTables>('auth').db;
    const events = await db
      .selectFrom('outbox')
      .select('body')
      .where('event_name', '=', 'PasswordChanged')
      .execute();
    assert.ok(
      events.some(
        (e) => JSON.parse(e.body).data.userId === me.id && JSON.parse(e.body).data.reason === 'changed',
      ),
    );
  });

  it('refuses a wrong current password under currentPassword and a weak new one under newPassword', async () => {
    const me = await aSignedInCustomer(host);
    const wrong = await host.call('POST', '/api/auth/changepassword', {
      token: me.token,
      json: { email: me.email, currentPassword: 'Nope#12345', newPassword: 'Brand#New456' },
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.type, 'currentPassword');
    const weak = await host.call('POST', '/api/auth/changepassword', {
      token: me.token,
      json: { email: me.email, currentPassword: me.password, newPassword: 'short' },
    });
    assert.equal(weak.status, 400);
    assert.equal(weak.body.type, 'newPassword');
  });

  it("refuses to change another user's password (403)", async () => {
    const me = await aSignedInCustomer(host);
    const other = await aSignedInCustomer(host);
    const res = await host.call('POST', '/api/auth/changepassword', {
      token: me.token,
      json: { email: other.email, currentPassword: other.password, newPassword: 'Brand#New456' },
    });
    assert.equal(res.status, 403);
    assert.equal(await refreshStatus(other), 200);
  });
});

describe('forgot and reset password', () => {
  it('answers the same for known and unknown emails and mails a link only to the known one', async () => {
    const me = await aSignedInCustomer(host);
    const known = await host.call('POST', '/api/auth/forgotpassword', { json: { email: me.email } });
    const unknown = await host.call('POST', '/api/auth/forgotpassword', {
      json: { email: 'ghost@example.com' },
    });
    assert.equal(known.status, 200);
    assert.deepEqual(unknown.body, known.body);
    await host.settle();
    const mails = await (host.platform.mailer as LocalMailbox).list();
    // The HTML escapes the link's `=` as `&#x3D;` (Handlebars), which reads the same in an href.
    assert.ok(mails.some((m) => m.to === me.email && m.html.includes('reset-password?email&#x3D;')));
    assert.ok(!mails.some((m) => m.to === 'ghost@example.com'));
  });

  it('resets once with the emailed token, ends every session, and stores only a hash of the token', async () => {
    const me = await aSignedInCustomer(host);
    await host.call('POST', '/api/auth/forgotpassword', { json: { email: me.email } });
    const token = await lastResetToken(me.email);
    const db = host.platform.database<AuthTables>('auth').db;
    const stored = await db
      .selectFrom('password_resets')
      .select('token_hash')
      .where('user_id', '=', me.id)
      .execute();
    assert.ok(stored.length > 0 && stored.every((r) => r.token_hash !== token && r.token_hash.length === 64));

    const reset = await host.call('POST', '/api/auth/resetpassword', {
      json: { email: me.email, token, newPassword: 'Reset#Pass789' },
    });
    assert.equal(reset.status, 200, reset.text);
    assert.equal(await refreshStatus(me), 401);
    assert.equal(
      (await host.call('POST', '/api/auth/login', { json: { email: me.email, password: 'Reset#Pass789' } }))
        .status,
      200,
    );

    const again = await host.call('POST', '/api/auth/resetpassword', {
      json: { email: me.email, token, newPassword: 'Other#Pass789' },
    });
    assert.equal(again.status, 400);
    assert.equal(again.body.type, 'token');
  });

  it('refuses an expired token, a token of another account, and a superseded token', async () => {
    const me = await aSignedInCustomer(host);
    const other = await aSignedInCustomer(host);
    await host.call('POST', '/api/auth/forgotpassword', { json: { email: me.email } });
    const first = await lastResetToken(me.email);
    const forOther = await host.call('POST', '/api/auth/resetpassword', {
      json: { email: other.email, token: first, newPassword: 'Reset#Pass789' },
    });
    assert.equal(forOther.status, 400);

    await host.call('POST', '/api/auth/forgotpassword', { json: { email: me.email } });
    const second = await lastResetToken(me.email);
    assert.notEqual(second, first);
    const superseded = await host.call('POST', '/api/auth/resetpassword', {
      json: { email: me.email, token: first, newPassword: 'Reset#Pass789' },
    });
    assert.equal(superseded.status, 400);

    host.clock.advance(31 * 60_000);
    const expired = await host.call('POST', '/api/auth/resetpassword', {
      json: { email: me.email, token: second, newPassword: 'Reset#Pass789' },
    });
    assert.equal(expired.status, 400);
    assert.match(expired.body.message, /invalid or has expired/);
  });
});

describe('POST /api/auth/assignrole', () => {
  it('lets an ADMIN grant ADMIN; the role is in the next refreshed token', async () => {
    const admin = await signInAdmin(host);
    const me = await aSignedInCustomer(host);
    const res = await host.call('POST', '/api/auth/assignrole', {
      token: admin.token,
      json: { email: me.email, role: 'admin' },
    });
    assert.equal(res.status, 200, res.text);
    const refreshed = await host.call('POST', '/api/auth/refresh', {
      json: { accessToken: me.token, refreshToken: me.refreshToken },
    });
    const token = (refreshed.body.data as { token: string }).token;
    assert.deepEqual(host.platform.tokens.verify(token).roles, ['ADMIN', 'CUSTOMER']);
  });

  it('is for ADMINs only: 401 without a token, 403 for a customer', async () => {
    const me = await aSignedInCustomer(host);
    assert.equal(
      (await host.call('POST', '/api/auth/assignrole', { json: { email: me.email, role: 'ADMIN' } })).status,
      401,
    );
    assert.equal(
      (
        await host.call('POST', '/api/auth/assignrole', {
          token: me.token,
          json: { email: me.email, role: 'ADMIN' },
        })
      ).status,
      403,
    );
  });

  it('answers 404 for an unknown email and 400 for an unknown role', async () => {
    const admin = await signInAdmin(host);
    assert.equal(
      (
        await host.call('POST', '/api/auth/assignrole', {
          token: admin.token,
          json: { email: 'ghost@example.com', role: 'ADMIN' },
        })
      ).status,
      404,
    );
    const badRole = await host.call('POST', '/api/auth/assignrole', {
      token: admin.token,
      json: { email: admin.email, role: 'ROOT' },
    });
    assert.equal(badRole.status, 400);
    assert.equal(badRole.body.type, 'role');
  });
});

describe('the ADMIN account from settings', () => {
  it('is bootstrapped with the ADMIN role, idempotently', async () => {
    const admin = await signInAdmin(host);
    assert.ok(host.platform.tokens.verify(admin.token).isAdmin);
    const { bootstrapAuth } = await import('../auth.seed.js');
    await bootstrapAuth(host.platform);
    const db = host.platform.database<AuthTables>('auth').db;
    const rows = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', adminEnv.ADMIN_EMAIL)
      .execute();
    assert.equal(rows.length, 1);
  });
});
