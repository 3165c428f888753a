import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import type { AuthTables } from '../auth.tables.js';
import '../index.js';
import { aRegistration, aSignedInCustomer } from './auth.builders.js';

let host: TestHost;
before(async () => (host = await startTestHost()));
after(() => host.close());

describe('POST /api/auth/register', () => {
  it('creates a customer with a bcrypt hash, normalised email and a UserRegistered event', async () => {
    const body = aRegistration({ email: '  New.Shopper@Example.COM ' });
    const res = await host.call('POST', '/api/auth/register', {
      json: { ...body, isAdmin: true, roles: ['ADMIN'] },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.data, null);
    assert.equal(res.body.isSuccess, true);

    const db = host.platform.database<AuthTables>('auth').db;
    const user = await db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'new.shopper@example.com')
      .executeTakeFirstOrThrow();
    assert.match(user.password_hash, /^\$2[aby]\$10\$/);
    const roles = await db.selectFrom('user_roles').select('role').where('user_id', '=', user.id).execute();
    assert.deepEqual(
      roles.map((r) => r.role),
      ['CUSTOMER'],
      'unknown fields such as roles are ignored',
    );
    const events = await db
      .selectFrom('outbox')
      .selectAll()
      .where('event_name', '=', 'UserRegistered')
      .execute();
    assert.ok(events.some((e) => JSON.parse(e.body).data.userId === user.id));
  });

  it('refuses a duplicate email, whatever its case, with type "email"', async () => {
    const body = aRegistration();
    assert.equal((await host.call('POST', '/api/auth/register', { json: body })).status, 200);
    const again = await host.call('POST', '/api/auth/register', {
      json: { ...body, email: body.email.toUpperCase() },
    });
    assert.equal(again.status, 400);
    assert.equal(again.body.type, 'email');
    assert.match(again.body.message, /already exists/);
  });

  const weak: [string, string, RegExp][] = [
    ['short', 'Ab1', /at least 8 characters/],
    ['no digit', 'Abcdefgh', /digit/],
    ['no upper case', 'abcdefg1', /upper-case/],
    ['no lower case', 'ABCDEFG1', /lower-case/],
    ['over 72 bytes', `Aa1${'é'.repeat(40)}`, /72 bytes/],
  ];
  for (const [label, password, message] of weak) {
    it(`refuses a password that is ${label}, with type "password"`, async () => {
      const res = await host.call('POST', '/api/auth/register', { json: aRegistration({ password }) });
      assert.equal(res.status, 400);
      assert.equal(res.body.type, 'password');
      assert.match(res.body.message, message);
    });
  }

  it('refuses a malformed email with type "email" and writes nothing', async () => {
    const res = await host.call('POST', '/api/auth/register', {
      json: { email: 'not-an-email', password: 'Secret#123' },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.type, 'email');
    const db = host.platform.database<AuthTables>('auth').db;
    assert.equal(
      await db.selectFrom('users').select('id').where('email', '=', 'not-an-email').executeTakeFirst(),
      undefined,
    );
  });

  it('answers wrong shapes and malformed JSON with a 400 envelope, never a 500', async () => {
    for (const json of [{ email: 42, password: true }, [], 'text', null]) {
      const res = await host.call('POST', '/api/auth/register', { json });
      assert.equal(res.status, 400, JSON.stringify(json));
      assert.equal(res.body.isSuccess, false);
    }
    const broken = await host.call('POST', '/api/auth/register', {
      body: '{"email":',
      contentType: 'application/json',
    });
    assert.equal(broken.status, 400);
    assert.equal(broken.body.code, 'malformed_body');
  });
});

describe('POST /api/auth/login', () => {
  it('returns a token, the refresh token and the user with never-null strings', async () => {
    const registration = aRegistration({ name: 'Lee' });
    await host.call('POST', '/api/auth/register', { json: registration });
    const res = await host.call('POST', '/api/auth/login', {
      json: { email: registration.email.toUpperCase(), password: registration.password },
    });
    assert.equal(res.status, 200);
    const data = res.body.data as { token: string; refreshToken: string; user: Record<string, unknown> };
    assert.equal(data.token.split('.').length, 3);
    assert.ok(data.refreshToken.length >= 40);
    assert.deepEqual(
      { ...data.user, id: 'x' },
      {
        id: 'x',
        email: registration.email,
        name: 'Lee',
        phoneNumber: '',
        address: '',
        dateOfBirth: '',
        avatar: '',
        roles: ['CUSTOMER'],
      },
    );
    const caller = host.platform.tokens.verify(data.token);
    assert.equal(caller.userId, data.user['id']);
    assert.ok(caller.sessionId);
  });

  it('gives the same 400 for a wrong password and an unknown email', async () => {
    const account = await aSignedInCustomer(host);
    const wrong = await host.call('POST', '/api/auth/login', {
      json: { email: account.email, password: 'Wrong#1234' },
    });
    const unknown = await host.call('POST', '/api/auth/login', {
      json: { email: 'nobody@example.com', password: 'Wrong#1234' },
    });
    assert.equal(wrong.status, 400);
    assert.equal(unknown.status, 400);
    assert.equal(wrong.body.message, unknown.body.message);
    assert.equal(wrong.body.type, unknown.body.type);
  });

  it('throttles repeated failures per account and client address, and lets the right password in afterwards', async () => {
    const account = await aSignedInCustomer(host);
    for (let i = 0; i < 10; i++) {
      const res = await host.call('POST', '/api/auth/login', {
        json: { email: account.email, password: `Wrong#${i}abc` },
      });
      assert.equal(res.status, 400);
    }
    const blocked = await host.call('POST', '/api/auth/login', {
      json: { email: account.email, password: account.password },
    });
    assert.equal(blocked.status, 429);
    assert.match(blocked.body.message, /Too many failed sign-in attempts\. Try again in 15 minutes/);
    assert.equal(blocked.headers.get('retry-after'), '900');

    host.clock.advance(15 * 60_000 + 1);
    const later = await host.call('POST', '/api/auth/login', {
      json: { email: account.email, password: account.password },
    });
    assert.equal(later.status, 200);
  });

  it('does not lock the account for a client at another address', async () => {
    const account = await aSignedInCustomer(host);
    const db = host.platform.database<AuthTables>('auth').db;
    const now = host.clock.now();
    await db
      .insertInto('login_attempts')
      .values({ email: account.email, client_ip: '203.0.113.9', attempts: 10, window_started_at: now })
      .execute();
    const res = await host.call('POST', '/api/auth/login', {
      json: { email: account.email, password: account.password },
    });
    assert.equal(res.status, 200);
  });

  it('refuses a password longer than bcrypt reads instead of truncating it', async () => {
    const password = `Aa1${'x'.repeat(69)}`;
    const account = await aSignedInCustomer(host, { password });
    const longer = await host.call('POST', '/api/auth/login', {
      json: { email: account.email, password: `${password}extra` },
    });
    assert.equal(longer.status, 400);
  });
});
