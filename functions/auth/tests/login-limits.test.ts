import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { LocalMailbox } from '../../../shared/email/local-mailbox.js';
import { AppError } from '../../../shared/http/errors.js';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import { authDeps } from '../auth.deps.js';
import { accountDelayMs } from '../login-limits.js';
import type { PasswordHasher } from '../passwords.js';
import { login } from '../sessions.service.js';
import '../index.js';
import '../../email/index.js';
import { aSignedInCustomer } from './auth.builders.js';

let host: TestHost;
before(async () => (host = await startTestHost()));
after(() => host.close());

/** Counts the password checks (bcrypt comparisons) that really run. */
let checks = 0;
let original: PasswordHasher | undefined;
function countChecks(): void {
  const deps = authDeps(host.platform);
  original = deps.passwords;
  const inner = original;
  checks = 0;
  deps.passwords = {
    hash: (p) => inner.hash(p),
    verify: (p, h) => {
      checks++;
      return inner.verify(p, h);
    },
  };
}
afterEach(() => {
  if (original) authDeps(host.platform).passwords = original;
  original = undefined;
});

/** A sign-in from a given client address (the HTTP tests all come from 127.0.0.1). */
async function signInFrom(clientIp: string, email: string, password: string) {
  try {
    await login(authDeps(host.platform), { email, password, clientIp, baseUrl: 'http://shop.test' });
    return { status: 200, message: '', retryAfter: undefined };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { status: error.status, message: error.message, retryAfter: error.headers?.['retry-after'] };
  }
}

describe('sign-in limits under parallel guesses', () => {
  it('checks at most LOGIN_MAX_FAILURES passwords when 60 wrong ones arrive at once', async () => {
    const account = await aSignedInCustomer(host);
    countChecks();
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        host.call('POST', '/api/auth/login', { json: { email: account.email, password: `Wrong#${i}xyz` } }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    assert.equal(statuses.filter((s) => s === 400).length, 10, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 429).length, 50);
    assert.equal(checks, 10, 'bcrypt ran only for the reserved attempts');
  });

  it('counts an IPv6 client by its /64: new addresses in the same network share its limit', async () => {
    const account = await aSignedInCustomer(host);
    for (let i = 1; i <= 10; i++)
      assert.equal(
        (await signInFrom(`2001:db8:1:2::${i.toString(16)}`, account.email, 'Wrong#1abc')).status,
        400,
      );
    const sameNetwork = await signInFrom('2001:db8:1:2:ffff:ffff:ffff:fffe', account.email, account.password);
    assert.equal(sameNetwork.status, 429);
    assert.match(sameNetwork.message, /Try again in 15 minutes/);
  });
});

describe('the per-account limit (guesses spread over many addresses)', () => {
  it('slows the account down after LOGIN_MAX_FAILURES, doubling up to the cap, and never locks it', async () => {
    const account = await aSignedInCustomer(host);
    let address = 0;
    const nextAddress = () => `198.51.100.${++address}`;
    for (let i = 0; i < 10; i++)
      assert.equal((await signInFrom(nextAddress(), account.email, 'Wrong#1abc')).status, 400);
    // From a fresh address the next guess must wait its turn: 1 s, then 2 s, 4 s, ... up to 300 s.
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      const refused = await signInFrom(nextAddress(), account.email, 'Wrong#1abc');
      assert.equal(refused.status, 429, refused.message);
      assert.match(refused.message, /for this account/);
      const wait = Number(refused.retryAfter);
      waits.push(wait);
      host.clock.advance(wait * 1000);
      assert.equal((await signInFrom(nextAddress(), account.email, 'Wrong#1abc')).status, 400);
    }
    assert.deepEqual(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
    // Never locked: once the (capped) wait is over, the owner's password works, from anywhere.
    host.clock.advance(300_000);
    assert.equal((await signInFrom(nextAddress(), account.email, account.password)).status, 200);
    assert.equal(
      (await signInFrom(nextAddress(), account.email, 'Wrong#1abc')).status,
      400,
      'the delay ended',
    );
  });

  it('lets the owner in at once from an address the account signed in from before', async () => {
    const account = await aSignedInCustomer(host);
    assert.equal((await signInFrom('192.0.2.7', account.email, account.password)).status, 200);
    for (let i = 0; i < 30; i++) await signInFrom(`198.18.0.${i + 1}`, account.email, 'Wrong#1abc');
    const stranger = await signInFrom('198.18.1.1', account.email, account.password);
    assert.equal(stranger.status, 429, 'a new address waits its turn');
    assert.equal((await signInFrom('192.0.2.7', account.email, account.password)).status, 200);
    // The known address still has its own limit: it cannot be used to guess without one.
    for (let i = 0; i < 10; i++) await signInFrom('192.0.2.7', account.email, 'Wrong#1abc');
    assert.equal((await signInFrom('192.0.2.7', account.email, account.password)).status, 429);
  });

  it('never counts an unknown client address ("") as a known client', async () => {
    // Every caller whose address the host could not tell shares '': one owner signing in that way
    // must not let all of them skip the account's wait.
    const account = await aSignedInCustomer(host);
    assert.equal((await signInFrom('', account.email, account.password)).status, 200);
    for (let i = 0; i < 10; i++) await signInFrom(`198.19.0.${i + 1}`, account.email, 'Wrong#1abc');
    const unknown = await signInFrom('', account.email, 'Wrong#1abc');
    assert.equal(unknown.status, 429, 'a caller without an address waits like a new one');
    assert.match(unknown.message, /for this account/);
  });

  it('forgets delays that no longer hold anyone, guesses at emails without an account included', async () => {
    const db = authDeps(host.platform).db;
    const nobody = `nobody-${Date.now()}@example.com`;
    for (let i = 0; i < 12; i++) await signInFrom(`198.19.0.${i + 1}`, nobody, 'Wrong#1abc');
    const delayOf = (email: string) =>
      db.selectFrom('account_login_delays').select('email').where('email', '=', email).executeTakeFirst();
    assert.ok(await delayOf(nobody), 'the guesses left a delay row');
    host.clock.advance(16 * 60_000); // quiet for longer than LOGIN_WINDOW_MINUTES, the wait over
    const someone = await aSignedInCustomer(host);
    assert.equal((await signInFrom('192.0.2.99', someone.email, someone.password)).status, 200);
    assert.equal(await delayOf(nobody), undefined, 'a sign-in swept it away');
  });

  it('lets a successful password reset end the delay at once', async () => {
    const account = await aSignedInCustomer(host);
    for (let i = 0; i < 14; i++) {
      await signInFrom(`203.0.113.${i + 1}`, account.email, 'Wrong#1abc');
      host.clock.advance(10_000);
    }
    assert.equal((await signInFrom('203.0.113.200', account.email, account.password)).status, 429);
    await host.call('POST', '/api/auth/forgotpassword', { json: { email: account.email } });
    await host.settle();
    const mail = (await (host.platform.mailer as LocalMailbox).list()).find((m) => m.to === account.email);
    const token = mail?.text.match(/reset code is: (\S+)/)?.[1] ?? '';
    const reset = await host.call('POST', '/api/auth/resetpassword', {
      json: { email: account.email, token, newPassword: 'Reset#Pass789' },
    });
    assert.equal(reset.status, 200, reset.text);
    assert.equal((await signInFrom('203.0.113.201', account.email, 'Reset#Pass789')).status, 200);
  });

  it('waits nothing before the LOGIN_MAX_FAILURES-th failure, then 1 s doubling, capped', () => {
    assert.deepEqual(
      [1, 9, 10, 11, 12, 13, 20, 60].map((n) => accountDelayMs(n, 10, 300)),
      [0, 0, 1000, 2000, 4000, 8000, 300_000, 300_000],
    );
  });
});

describe('changepassword counts against the same limits', () => {
  it('refuses sign-ins from the address once its wrong current passwords reach the limit', async () => {
    const account = await aSignedInCustomer(host);
    countChecks();
    for (let i = 0; i < 10; i++) {
      const wrong = await host.call('POST', '/api/auth/changepassword', {
        token: account.token,
        json: { currentPassword: `Wrong#${i}abc`, newPassword: 'Brand#New456' },
      });
      assert.equal(wrong.status, 400);
    }
    const eleventh = await host.call('POST', '/api/auth/changepassword', {
      token: account.token,
      json: { currentPassword: `Wrong#11abc`, newPassword: 'Brand#New456' },
    });
    assert.equal(eleventh.status, 429);
    assert.equal(checks, 10);
    const signIn = await host.call('POST', '/api/auth/login', {
      json: { email: account.email, password: account.password },
    });
    assert.equal(signIn.status, 429);
  });
});
