import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readOrCreateOnce } from '../files/read-or-create.js';

export type SigningAlgorithm = 'ES256' | 'RS256';

export interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** From this instant the key signs new tokens (until the next key's); it is published before. */
  signsFrom: Date;
}

/**
 * A signing key as the key set stores it (JWT_SIGNING_KEYS, the Key Vault secret jwt-signing-keys,
 * DATA_DIR/keys/jwt-signing-keys.json): `{ "keys": [{ "kid", "pem", "signsFrom" }] }`.
 */
export interface StoredKey {
  kid: string;
  pem: string;
  /** ISO instant. */
  signsFrom: string;
}

const storedKeySetSchema = z.object({
  keys: z
    .array(
      z.object({
        kid: z.string().min(1).max(100),
        pem: z.string().min(1),
        signsFrom: z.iso.datetime({ offset: true }),
      }),
    )
    .min(1),
});

/** The beginning of time, for a key that has always signed (a single configured key). */
export const ALWAYS = new Date(0);

/** Builds a signing key from a PEM (Key Vault in Azure); ES256 for P-256 keys, RS256 for RSA. */
export function signingKeyFromPem(pem: string, kid: string, signsFrom: Date = ALWAYS): SigningKey {
  const privateKey = createPrivateKey(pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem);
  const publicKey = createPublicKey(privateKey);
  const type = privateKey.asymmetricKeyType;
  if (type === 'ec') {
    const curve = privateKey.asymmetricKeyDetails?.namedCurve;
    if (curve !== 'prime256v1') throw new Error(`JWT_PRIVATE_KEY: an EC key must use P-256, got ${curve}`);
    return { kid, alg: 'ES256', privateKey, publicKey, signsFrom };
  }
  if (type === 'rsa') {
    const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new Error('JWT_PRIVATE_KEY: an RSA key must have at least 2048 bits');
    return { kid, alg: 'RS256', privateKey, publicKey, signsFrom };
  }
  throw new Error(`JWT_PRIVATE_KEY: unsupported key type ${type}; use P-256 (ES256) or RSA (RS256)`);
}

/** Reads a stored key set (JWT_SIGNING_KEYS); throws naming the setting when it is not one. */
export function parseKeySet(json: string, setting = 'JWT_SIGNING_KEYS'): StoredKey[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(`${setting}: not JSON; expected {"keys":[{"kid","pem","signsFrom"}]}`);
  }
  const parsed = storedKeySetSchema.safeParse(value);
  if (!parsed.success)
    throw new Error(
      `${setting}: expected {"keys":[{"kid","pem","signsFrom"}]} (${parsed.error.issues[0]?.message})`,
    );
  const kids = parsed.data.keys.map((k) => k.kid);
  if (new Set(kids).size !== kids.length) throw new Error(`${setting}: two keys share a kid`);
  return parsed.data.keys;
}

export function serializeKeySet(keys: StoredKey[]): string {
  return `${JSON.stringify({ keys }, null, 2)}\n`;
}

export function signingKeysOf(stored: StoredKey[]): SigningKey[] {
  return stored.map((k) => signingKeyFromPem(k.pem, k.kid, new Date(k.signsFrom)));
}

/** A key's id: a thumbprint of its public key (stable, and different for every key). */
export function thumbprintOf(pem: string): string {
  const publicDer = createPublicKey(pem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(publicDer).digest('base64url').slice(0, 16);
}

/** A new private key as PEM: RSA 2048 (APIM's validate-jwt verifies RS256) or P-256 (ES256, local). */
export function newPrivateKeyPem(alg: SigningAlgorithm): string {
  const pair =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export function newStoredKey(alg: SigningAlgorithm, signsFrom: Date): StoredKey {
  const pem = newPrivateKeyPem(alg);
  return { kid: thumbprintOf(pem), pem, signsFrom: signsFrom.toISOString() };
}

/**
 * Which keys do what at an instant: the newest key whose time has come signs (the earliest, while
 * none has started); the JWKS publishes it, every key still to come (so gateways that cache the
 * JWKS know it before it signs), and each earlier key until `retireAfterMs` after its successor
 * started signing (a session's refresh presents the access token it holds, signed by the old key,
 * for as long as the session lives). Tokens verify against the published keys only.
 */
export function keysAt(
  keys: readonly SigningKey[],
  now: Date,
  retireAfterMs: number,
): { signing: SigningKey; published: SigningKey[] } {
  const sorted = [...keys].sort((a, b) => a.signsFrom.getTime() - b.signsFrom.getTime());
  const first = sorted[0];
  if (!first) throw new Error('no signing key');
  const started = sorted.filter((k) => k.signsFrom.getTime() <= now.getTime());
  const signing = started.at(-1) ?? first;
  const published = sorted.filter((key, i) => {
    if (key === signing || key.signsFrom.getTime() > now.getTime()) return true;
    const successor = sorted[i + 1];
    return successor !== undefined && successor.signsFrom.getTime() + retireAfterMs > now.getTime();
  });
  return { signing, published };
}

/**
 * The next key: published from now, signing `leadMs` later. Keys no longer published are dropped.
 * A rotation while the last one's key does not sign yet is refused: it would cut that key's lead.
 */
export function rotateKeySet(
  stored: StoredKey[],
  options: { now: Date; leadMs: number; retireAfterMs: number; alg: SigningAlgorithm },
): { keys: StoredKey[]; added: StoredKey; dropped: StoredKey[] } {
  const pending = stored.find((k) => Date.parse(k.signsFrom) > options.now.getTime());
  if (pending)
    throw new Error(
      `a rotation is under way: key ${pending.kid} signs from ${pending.signsFrom}; rotate again after that`,
    );
  const { published } = keysAt(signingKeysOf(stored), options.now, options.retireAfterMs);
  const kept = stored.filter((k) => published.some((p) => p.kid === k.kid));
  const added = newStoredKey(options.alg, new Date(options.now.getTime() + options.leadMs));
  return { keys: [...kept, added], added, dropped: stored.filter((k) => !kept.includes(k)) };
}

/**
 * The local key set, DATA_DIR/keys/jwt-signing-keys.json: made once, so tokens survive restarts and
 * a fresh DATA_DIR is a fresh shop. A DATA_DIR from before key sets has its one key
 * (jwt-signing-key.pem) carried over under the same kid, so nobody is signed out.
 */
export function localKeySetFile(dataDir: string): string {
  return path.join(dataDir, 'keys', 'jwt-signing-keys.json');
}

export function localStoredKeys(dataDir: string): StoredKey[] {
  const legacy = path.join(dataDir, 'keys', 'jwt-signing-key.pem');
  const json = readOrCreateOnce(localKeySetFile(dataDir), () => {
    const pem = fs.existsSync(legacy) ? fs.readFileSync(legacy, 'utf8') : newPrivateKeyPem('ES256');
    return serializeKeySet([{ kid: thumbprintOf(pem), pem, signsFrom: ALWAYS.toISOString() }]);
  });
  return parseKeySet(json, localKeySetFile(dataDir));
}

export function localSigningKeys(dataDir: string): SigningKey[] {
  return signingKeysOf(localStoredKeys(dataDir));
}

/** The local key that signs now (tests; the platform uses the whole set). */
export function localSigningKey(dataDir: string, now: Date = new Date()): SigningKey {
  return keysAt(localSigningKeys(dataDir), now, 0).signing;
}
