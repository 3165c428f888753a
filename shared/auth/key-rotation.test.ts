import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { ManualClock, days, minutes } from '../time/clock.js';
import {
  ensureKeySet,
  keyVaultKeyStore,
  localKeyStore,
  rotateKeys,
  type CommandRunner,
} from './key-store.js';
import {
  ALWAYS,
  localSigningKey,
  localStoredKeys,
  newStoredKey,
  rotateKeySet,
  signingKeysOf,
  thumbprintOf,
  type StoredKey,
} from './keys.js';
import { createTokenService } from './tokens.js';

const LEAD = minutes(120);
const RETIRE = days(14);
const claims = { sub: 'u-1', sid: 's-1', email: 'ada@shop.test', roles: ['CUSTOMER'] };
const kidOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid;

function serviceFor(keys: StoredKey[], clock: ManualClock) {
  return createTokenService({
    keys: signingKeysOf(keys),
    retireAfterMs: RETIRE,
    issuer: 'http://shop.test/api/auth',
    audience: 'shop',
    accessTokenMinutes: 10,
    clock,
  });
}

describe('rotating the signing key', () => {
  const clock = new ManualClock('2026-06-01T00:00:00Z');
  const first = newStoredKey('ES256', ALWAYS);
  const { keys, added: next } = rotateKeySet([first], {
    now: clock.now(),
    leadMs: LEAD,
    retireAfterMs: RETIRE,
    alg: 'ES256',
  });

  it('publishes the next key at once but signs with it only after the lead time', () => {
    const tokens = serviceFor(keys, clock);
    assert.deepEqual(
      tokens.jwks().keys.map((k) => k['kid']),
      [first.kid, next.kid],
    );
    assert.equal(kidOf(tokens.sign(claims)), first.kid);
    clock.advance(LEAD - 1);
    assert.equal(kidOf(tokens.sign(claims)), first.kid, 'not a moment before the lead time is over');
    clock.advance(1);
    assert.equal(kidOf(tokens.sign(claims)), next.kid);
  });

  it('keeps the previous key published, and its tokens valid, for the refresh-token lifetime', () => {
    clock.set(new Date(Date.parse('2026-06-01T00:00:00Z') + LEAD - 1000));
    const tokens = serviceFor(keys, clock);
    const old = tokens.sign(claims);
    clock.advance(1000 + RETIRE - 1);
    assert.ok(tokens.jwks().keys.some((k) => k['kid'] === first.kid));
    assert.equal(
      tokens.verify(old, { allowExpired: true }).sessionId,
      's-1',
      'an old session can still refresh',
    );
    clock.advance(1);
    assert.deepEqual(
      tokens.jwks().keys.map((k) => k['kid']),
      [next.kid],
    );
    assert.throws(() => tokens.verify(old, { allowExpired: true }), /not valid/);
  });

  it('refuses a second rotation while the next key does not sign yet, and drops retired keys', () => {
    const at = new Date('2026-06-01T00:30:00Z');
    assert.throws(
      () => rotateKeySet(keys, { now: at, leadMs: LEAD, retireAfterMs: RETIRE, alg: 'ES256' }),
      /rotation is under way/,
    );
    const later = new Date(Date.parse('2026-06-01T00:00:00Z') + LEAD + RETIRE);
    const again = rotateKeySet(keys, { now: later, leadMs: LEAD, retireAfterMs: RETIRE, alg: 'ES256' });
    assert.deepEqual(
      again.dropped.map((k) => k.kid),
      [first.kid],
    );
    assert.deepEqual(
      again.keys.map((k) => k.kid),
      [next.kid, again.added.kid],
    );
  });
});

describe('the local key set', () => {
  let dataDir: string;
  before(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-keyset-'))));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('carries over the key a DATA_DIR had before key sets, under the same kid', () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    fs.mkdirSync(path.join(dataDir, 'keys'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'keys', 'jwt-signing-key.pem'), pem);
    const [key] = localStoredKeys(dataDir);
    assert.equal(key?.kid, thumbprintOf(pem));
    assert.equal(localSigningKey(dataDir).kid, thumbprintOf(pem));
  });

  it('rotates with one command and keeps the set across reads', async () => {
    const store = localKeyStore(dataDir);
    const now = new Date();
    const lines = await rotateKeys(store, { now, leadMs: LEAD, retireAfterMs: RETIRE });
    assert.match(lines[0] ?? '', /^published \S+ in .*jwt-signing-keys\.json; it signs from /);
    const keys = localStoredKeys(dataDir);
    assert.equal(keys.length, 2);
    assert.equal(localSigningKey(dataDir, now).kid, keys[0]?.kid, 'the old key signs until the lead is over');
    assert.equal(localSigningKey(dataDir, new Date(now.getTime() + LEAD)).kid, keys[1]?.kid);
  });
});

describe('the key set in Key Vault (through the Azure CLI)', () => {
  /** A fake `az`: a vault of secrets, and the restarts asked for. */
  function fakeAz(secrets: Map<string, string>) {
    const restarts: string[] = [];
    const run: CommandRunner = (_cmd, args) => {
      const name = args[args.indexOf('--name') + 1] ?? '';
      if (args[0] === 'keyvault' && args[2] === 'show') {
        const value = secrets.get(name);
        return value === undefined
          ? {
              status: 3,
              stdout: '',
              stderr: `(SecretNotFound) A secret with (name/id) ${name} was not found`,
            }
          : { status: 0, stdout: `${value}\n`, stderr: '' };
      }
      if (args[0] === 'keyvault' && args[2] === 'set') {
        const file = args[args.indexOf('--file') + 1] ?? '';
        secrets.set(name, fs.readFileSync(file, 'utf8'));
        return { status: 0, stdout: '', stderr: '' };
      }
      if (args[0] === 'functionapp' && args[1] === 'restart') {
        restarts.push(name);
        return { status: 0, stdout: '', stderr: '' };
      }
      return { status: 1, stdout: '', stderr: `unexpected az ${args.join(' ')}` };
    };
    return { run, restarts };
  }
  const storeOf = (run: CommandRunner) =>
    keyVaultKeyStore({
      vault: 'kv-shop',
      app: 'func-shop',
      resourceGroup: 'rg-shop',
      tempDir: os.tmpdir(),
      run,
    });

  it('makes the set once and keeps it on every later provision (nobody is signed out)', async () => {
    const secrets = new Map<string, string>();
    const az = fakeAz(secrets);
    const made = await ensureKeySet(storeOf(az.run), undefined);
    assert.equal(made.created, true);
    const stored = secrets.get('jwt-signing-keys');
    const again = await ensureKeySet(storeOf(az.run), newStoredKey('RS256', ALWAYS));
    assert.equal(again.created, false);
    assert.equal(secrets.get('jwt-signing-keys'), stored, 'a re-provision replaces nothing');
    const [key] = JSON.parse(stored ?? '{}').keys as StoredKey[];
    assert.equal(createPrivateKey(key?.pem ?? '').asymmetricKeyType, 'rsa', "RS256: APIM's validate-jwt");
    assert.deepEqual(az.restarts, ['func-shop']);
  });

  it('carries over the single key of an older deployment, with its kid', async () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const secrets = new Map([
      ['jwt-private-key', pem.replace(/\n/g, '\\n')],
      ['jwt-key-id', 'shop-jwt-1'],
    ]);
    await ensureKeySet(storeOf(fakeAz(secrets).run), undefined);
    const [key] = JSON.parse(secrets.get('jwt-signing-keys') ?? '{}').keys as StoredKey[];
    assert.equal(key?.kid, 'shop-jwt-1');
    assert.equal(key?.pem, pem);
  });

  it('rotates, writing the new set through a file, and restarts the app so that it publishes it now', async () => {
    const secrets = new Map<string, string>();
    const az = fakeAz(secrets);
    await ensureKeySet(storeOf(az.run), undefined);
    const lines = await rotateKeys(storeOf(az.run), { now: new Date(), leadMs: LEAD, retireAfterMs: RETIRE });
    assert.equal((JSON.parse(secrets.get('jwt-signing-keys') ?? '{}').keys as StoredKey[]).length, 2);
    assert.match(lines.at(-1) ?? '', /restarted func-shop/);
    assert.deepEqual(az.restarts, ['func-shop', 'func-shop']);
  });
});
