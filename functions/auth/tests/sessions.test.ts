import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import { startTestHost, type TestHost } from '../../../shared/testing/test-host.js';
import '../index.js';
import { aSignedInCustomer, signIn } from './auth.builders.js';

let host: TestHost;
before(async () => (host = await startTestHost()));
after(() => host.close());

const refresh = (accessToken: string, refreshToken: string) =>
  host.call('POST', '/api/auth/refresh', { json: { accessToken, refreshToken } });

describe('POST /api/auth/refresh', () => {
  it('returns a new access token and the same refresh token, again and again', async () => {
    const account = await aSignedInCustomer(host);
    host.clock.advance(61 * 60_000); // the access token has expired
    const first = await refresh(account.token, account.refreshToken);
    assert.equal(first.status, 200);
    const data = first.body.data as { token: string; refreshToken: string };
    assert.equal(data.refreshToken, account.refreshToken);
    assert.notEqual(data.token, account.token);
    assert.equal(host.platform.tokens.verify(data.token).userId, account.id);

    const second = await refresh(account.token, account.refreshToken);
    assert.equal(second.status, 200, 'the refresh token the storefront holds keeps working');
  });

  it('lets concurrent refreshes of one session all succeed', async () => {
    const account = await aSignedInCustomer(host);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => refresh(account.token, account.refreshToken)),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      Array(10).fill(200),
    );
  });

  it('refuses a refresh token of another session (401)', async () => {
    const account = await aSignedInCustomer(host);
    const other = await signIn(host, account.email, account.password);
    const res = await refresh(account.token, other.refreshToken);
    assert.equal(res.status, 401);
  });

  it('refuses a forged access token even with a valid refresh token (401)', async () => {
    const account = await aSignedInCustomer(host);
    const forged = jwt.sign({ sub: account.id, sid: 'x', email: account.email, roles: ['ADMIN'] }, 'secret');
    assert.equal((await refresh(forged, account.refreshToken)).status, 401);
  });

  it('answers 401 once the session has reached its absolute limit', async () => {
    const account = await aSignedInCustomer(host);
    host.clock.advance(14 * 86_400_000 + 1);
    const res = await refresh(account.token, account.refreshToken);
    assert.equal(res.status, 401);
    assert.match(res.body.message, /expired/);
  });

  it('answers 400 for a missing refresh token', async () => {
    const res = await host.call('POST', '/api/auth/refresh', { json: { accessToken: 'x' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.type, 'refreshToken');
  });
});

describe('POST /api/auth/logout', () => {
  it('ends only the session of the token it is given', async () => {
    const account = await aSignedInCustomer(host);
    const phone = await signIn(host, account.email, account.password);
    const res = await host.call('POST', '/api/auth/logout', { token: account.token });
    assert.equal(res.status, 200);
    assert.equal((await refresh(account.token, account.refreshToken)).status, 401);
    assert.equal(
      (await refresh(phone.token, phone.refreshToken)).status,
      200,
      'the other device stays signed in',
    );
  });

  it('accepts an expired token (signature still checked) and succeeds without one', async () => {
    const account = await aSignedInCustomer(host);
    host.clock.advance(2 * 60 * 60_000);
    assert.equal((await host.call('POST', '/api/auth/logout', { token: account.token })).status, 200);
    assert.equal((await refresh(account.token, account.refreshToken)).status, 401);
    assert.equal((await host.call('POST', '/api/auth/logout')).status, 200);
  });

  it('answers a forged token with success and ends no session (its claims are not trusted)', async () => {
    const account = await aSignedInCustomer(host);
    const forged = jwt.sign(
      {
        sub: account.id,
        sid: host.platform.tokens.verify(account.token).sessionId,
        email: account.email,
        roles: [],
      },
      'secret',
    );
    assert.equal((await host.call('POST', '/api/auth/logout', { token: forged })).status, 200);
    assert.equal((await refresh(account.token, account.refreshToken)).status, 200);
  });
});

describe('protected routes and public routes', () => {
  it('answer 401 without a token, with an expired token and with a token of a foreign key', async () => {
    const account = await aSignedInCustomer(host);
    const path = `/api/auth/getuser/${account.id}`;
    assert.equal((await host.call('GET', path)).status, 401);
    const foreign = jwt.sign({ sub: account.id, sid: 's', email: account.email, roles: [] }, 'secret', {
      algorithm: 'HS256',
    });
    assert.equal((await host.call('GET', path, { token: foreign })).status, 401);
    host.clock.advance(61 * 60_000);
    const expired = await host.call('GET', path, { token: account.token });
    assert.equal(expired.status, 401);
    assert.equal(expired.headers.get('www-authenticate'), 'Bearer');
  });

  it('public routes ignore an invalid Authorization header completely', async () => {
    const res = await host.call('GET', '/api/auth/.well-known/jwks.json', {
      headers: { authorization: 'Bearer garbage' },
    });
    assert.equal(res.status, 200);
    const jwks = JSON.parse(res.text) as { keys: { kid: string; alg: string; kty: string }[] };
    assert.equal(jwks.keys[0]?.alg, 'ES256');
    assert.equal(jwks.keys[0]?.kty, 'EC');
  });

  it('publishes an OpenID discovery document whose jwks_uri serves the keys', async () => {
    const res = await host.call('GET', '/api/auth/.well-known/openid-configuration');
    const doc = JSON.parse(res.text) as { issuer: string; jwks_uri: string };
    assert.equal(doc.issuer, host.platform.tokens.issuer);
    const keys = await fetch(doc.jwks_uri);
    assert.equal(keys.status, 200);
  });
});
