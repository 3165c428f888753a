import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { AppError } from '../http/errors.js';
import { ManualClock, minutes } from '../time/clock.js';
import { localSigningKey, signingKeyFromPem, type SigningKey } from './keys.js';
import {
  ADMIN_ROLE,
  CUSTOMER_ROLE,
  createTokenService,
  type AccessTokenClaims,
  type TokenService,
} from './tokens.js';

const issuer = 'http://127.0.0.1:7071/api/auth';
const audience = 'ecommerce-functions';

const someClaims = (overrides: Partial<AccessTokenClaims> = {}): AccessTokenClaims => ({
  sub: '6f1c2a3e-0000-4000-8000-000000000001',
  sid: 'session-1',
  email: 'ada@shop.test',
  roles: [CUSTOMER_ROLE],
  ...overrides,
});

function tokenServiceFor(
  key: SigningKey,
  clock: ManualClock,
  overrides: { issuer?: string; audience?: string } = {},
) {
  return createTokenService({
    key,
    issuer: overrides.issuer ?? issuer,
    audience: overrides.audience ?? audience,
    accessTokenMinutes: 60,
    clock,
  });
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claimsOf = (token: string): unknown =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));

function assertUnauthorized(
  verify: () => unknown,
  code: 'token_invalid' | 'token_expired' = 'token_invalid',
): void {
  assert.throws(
    verify,
    (error: unknown) => error instanceof AppError && error.code === code && error.status === 401,
  );
}

const rsaPem = (modulusLength: number) =>
  generateKeyPairSync('rsa', { modulusLength })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();

describe('access tokens', () => {
  let dataDir: string;
  let key: SigningKey;
  let clock: ManualClock;
  let tokens: TokenService;

  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-keys-test-'));
    key = localSigningKey(dataDir);
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  beforeEach(() => {
    clock = new ManualClock('2026-05-01T10:00:00Z');
    tokens = tokenServiceFor(key, clock);
  });

  it('verifies a token it signed and returns the caller', () => {
    const caller = tokens.verify(tokens.sign(someClaims({ roles: [CUSTOMER_ROLE, ADMIN_ROLE] })));
    assert.deepEqual(caller, {
      userId: someClaims().sub,
      sessionId: 'session-1',
      email: 'ada@shop.test',
      roles: [CUSTOMER_ROLE, ADMIN_ROLE],
      isAdmin: true,
    });
  });

  it('signs with the key id and algorithm in the header', () => {
    const header = jwt.decode(tokens.sign(someClaims()), { complete: true })?.header;
    assert.equal(header?.kid, key.kid);
    assert.equal(header?.alg, 'ES256');
  });

  it('rejects alg "none"', () => {
    const payload = base64url(claimsOf(tokens.sign(someClaims())));
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT', kid: key.kid })}.${payload}.`;
    assertUnauthorized(() => tokens.verify(unsigned));
  });

  it('rejects HS256 signed with the public key as the secret', () => {
    const publicPem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const header = base64url({ alg: 'HS256', typ: 'JWT', kid: key.kid });
    const body = base64url(claimsOf(tokens.sign(someClaims())));
    const signature = createHmac('sha256', publicPem).update(`${header}.${body}`).digest('base64url');
    assertUnauthorized(() => tokens.verify(`${header}.${body}.${signature}`));
  });

  it('rejects a token with another kid', () => {
    const other = jwt.sign({ ...someClaims() }, key.privateKey, {
      algorithm: 'ES256',
      keyid: 'someone-else',
      issuer,
      audience,
      expiresIn: 600,
    });
    assertUnauthorized(() => tokens.verify(other));
  });

  it('rejects a token signed by another key with the same kid', () => {
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const forged = jwt.sign({ ...someClaims() }, stranger, {
      algorithm: 'ES256',
      keyid: key.kid,
      issuer,
      audience,
      expiresIn: 600,
    });
    assertUnauthorized(() => tokens.verify(forged));
  });

  it('rejects an expired token', () => {
    const token = tokens.sign(someClaims());
    clock.advance(minutes(61));
    assertUnauthorized(() => tokens.verify(token), 'token_expired');
  });

  it('still accepts a token just before it expires', () => {
    const token = tokens.sign(someClaims());
    clock.advance(minutes(59));
    assert.equal(tokens.verify(token).sessionId, 'session-1');
  });

  it('rejects a token for another audience', () => {
    const token = tokenServiceFor(key, clock, { audience: 'another-app' }).sign(someClaims());
    assertUnauthorized(() => tokens.verify(token));
  });

  it('rejects a token from another issuer', () => {
    const token = tokenServiceFor(key, clock, { issuer: 'https://evil.test/api/auth' }).sign(someClaims());
    assertUnauthorized(() => tokens.verify(token));
  });

  it('rejects a tampered payload', () => {
    const token = tokens.sign(someClaims());
    const [header, , signature] = token.split('.');
    const promoted = base64url({ ...(claimsOf(token) as object), roles: [ADMIN_ROLE] });
    assertUnauthorized(() => tokens.verify(`${header}.${promoted}.${signature}`));
  });

  it('rejects garbage', () => {
    for (const garbage of ['', 'abc', 'a.b.c', 'Bearer x']) assertUnauthorized(() => tokens.verify(garbage));
  });

  it('rejects a "typ": "JWT" token whose payload is not JSON (a 401, never an exception)', () => {
    // jws parses the payload of a typ JWT token with a bare JSON.parse: decoding it throws.
    const header = base64url({ alg: 'ES256', typ: 'JWT', kid: key.kid });
    const notJson = Buffer.from('not json').toString('base64url');
    for (const allowExpired of [false, true])
      assertUnauthorized(() => tokens.verify(`${header}.${notJson}.AAAA`, { allowExpired }));
  });

  it('accepts an expired but correctly signed token with allowExpired', () => {
    const token = tokens.sign(someClaims());
    clock.advance(minutes(60 * 24));
    assert.equal(tokens.verify(token, { allowExpired: true }).userId, someClaims().sub);
  });

  it('still rejects a bad signature with allowExpired', () => {
    const token = tokens.sign(someClaims());
    clock.advance(minutes(60 * 24));
    const [header, payload, signature] = token.split('.');
    const flipped = `${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`;
    assertUnauthorized(() => tokens.verify(`${header}.${payload}.${flipped}`, { allowExpired: true }));
  });

  it('publishes its public key as JWKS with kid and alg', () => {
    const [jwk] = tokens.jwks().keys;
    assert.equal(jwk?.['kid'], key.kid);
    assert.equal(jwk?.['alg'], 'ES256');
    assert.equal(jwk?.['use'], 'sig');
    assert.equal(jwk?.['kty'], 'EC');
    assert.equal(jwk?.['d'], undefined, 'the private part must not be published');
  });
});

describe('signing keys', () => {
  let dataDir: string;
  before(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-keys-test-'))));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('generates the local key once and reuses it', () => {
    const first = localSigningKey(dataDir);
    const second = localSigningKey(dataDir);
    assert.equal(first.kid, second.kid);
    assert.equal(first.alg, 'ES256');
    const clock = new ManualClock();
    assert.equal(
      tokenServiceFor(second, clock).verify(tokenServiceFor(first, clock).sign(someClaims())).sessionId,
      'session-1',
    );
  });

  it('gives a fresh data folder a fresh key', () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-keys-test-'));
    try {
      assert.notEqual(localSigningKey(other).kid, localSigningKey(dataDir).kid);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('signs with RS256 for an RSA key', () => {
    const key = signingKeyFromPem(rsaPem(2048), 'rsa-1');
    assert.equal(key.alg, 'RS256');
    const tokens = tokenServiceFor(key, new ManualClock());
    assert.equal(tokens.verify(tokens.sign(someClaims())).email, 'ada@shop.test');
    assert.equal(tokens.jwks().keys[0]?.['alg'], 'RS256');
  });

  it('reads a PEM whose line breaks were escaped (as app settings store it)', () => {
    const pem = rsaPem(2048).replace(/\n/g, '\\n');
    assert.equal(signingKeyFromPem(pem, 'rsa-2').alg, 'RS256');
  });

  it('refuses a 1024-bit RSA key', () => {
    assert.throws(() => signingKeyFromPem(rsaPem(1024), 'weak'), /at least 2048 bits/);
  });

  it('refuses an EC key on another curve', () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'secp384r1' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    assert.throws(() => signingKeyFromPem(pem, 'p384'), /P-256/);
  });
});
