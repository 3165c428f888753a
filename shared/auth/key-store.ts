import fs from 'node:fs';
import path from 'node:path';
import {
  ALWAYS,
  keysAt,
  localKeySetFile,
  localStoredKeys,
  newStoredKey,
  parseKeySet,
  rotateKeySet,
  serializeKeySet,
  signingKeysOf,
  thumbprintOf,
  type SigningAlgorithm,
  type StoredKey,
} from './keys.js';

/** Where a key set lives: DATA_DIR locally, the Key Vault secret jwt-signing-keys in Azure. */
export interface KeyStore {
  readonly where: string;
  /** The keys of new sessions' tokens: ES256 locally, RS256 behind APIM (validate-jwt verifies RS256 only). */
  readonly alg: SigningAlgorithm;
  /** The stored set, or undefined when there is none yet. */
  read(): Promise<StoredKey[] | undefined>;
  write(keys: StoredKey[]): Promise<void>;
  /** A key that signed before key sets existed (kept under its kid, so nobody is signed out). */
  legacyKey?(): Promise<StoredKey | undefined>;
  /** Makes the running app read the set again (Azure: a restart re-reads Key Vault references). */
  reload?(): Promise<string>;
}

export interface KeyPolicy {
  now: Date;
  /** JWT_KEY_LEAD_MINUTES: a new key is published this long before it signs. */
  leadMs: number;
  /** REFRESH_TOKEN_DAYS: a replaced key stays published this long. */
  retireAfterMs: number;
}

/** What each key does now, one line each. */
export function describeKeys(keys: StoredKey[], policy: KeyPolicy): string[] {
  const { signing, published } = keysAt(signingKeysOf(keys), policy.now, policy.retireAfterMs);
  return keys.map((k) => {
    const role =
      k.kid === signing.kid
        ? 'signs now'
        : Date.parse(k.signsFrom) > policy.now.getTime()
          ? `published, signs from ${k.signsFrom}`
          : published.some((p) => p.kid === k.kid)
            ? 'replaced: still published, so older sessions can refresh'
            : 'retired: no longer published';
    return `  ${k.kid}  ${role}`;
  });
}

/**
 * `ensure`: a key set exists, made once and never replaced (a re-provision keeps every session).
 * The first set carries over the key that signed before (the legacy key), else a given one, else a
 * new key.
 */
export async function ensureKeySet(
  store: KeyStore,
  seed: StoredKey | undefined,
): Promise<{ created: boolean; lines: string[] }> {
  const existing = await store.read();
  if (existing)
    return { created: false, lines: [`kept the key set in ${store.where} (${existing.length} key(s))`] };
  const first = (await store.legacyKey?.()) ?? seed ?? newStoredKey(store.alg, ALWAYS);
  await store.write([{ ...first, signsFrom: ALWAYS.toISOString() }]);
  const lines = [`created the key set in ${store.where}: ${first.kid} signs`];
  if (store.reload) lines.push(await store.reload());
  return { created: true, lines };
}

/**
 * `rotate`: one command. Publishes a new key now, which signs JWT_KEY_LEAD_MINUTES later (gateways
 * that cache the JWKS for an hour know it by then); the key it replaces stays published for the
 * refresh-token lifetime; keys past that are dropped.
 */
export async function rotateKeys(store: KeyStore, policy: KeyPolicy): Promise<string[]> {
  const existing = await store.read();
  if (!existing) throw new Error(`no key set in ${store.where} yet: npm run keys -- ensure makes one`);
  const { keys, added, dropped } = rotateKeySet(existing, { ...policy, alg: store.alg });
  await store.write(keys);
  const lines = [
    `published ${added.kid} in ${store.where}; it signs from ${added.signsFrom}`,
    ...dropped.map((k) => `dropped ${k.kid} (retired)`),
    ...describeKeys(keys, policy),
  ];
  if (store.reload) lines.push(await store.reload());
  return lines;
}

/** DATA_DIR/keys/jwt-signing-keys.json, written whole (a temporary file renamed into place). */
export function localKeyStore(dataDir: string): KeyStore {
  const file = localKeySetFile(dataDir);
  return {
    where: file,
    alg: 'ES256',
    async read() {
      return localStoredKeys(dataDir);
    },
    async write(keys) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temp, serializeKeySet(keys), { mode: 0o600 });
      fs.renameSync(temp, file);
    },
    async reload() {
      return 'restart npm start to publish it (the local host reads the key set when it starts)';
    },
  };
}

/** Runs a command and returns its output; throws with its error output when it fails. */
export type CommandRunner = (
  command: string,
  args: string[],
) => { status: number | null; stdout: string; stderr: string };

/**
 * The Key Vault secret jwt-signing-keys, through the Azure CLI as the deployer (Key Vault Secrets
 * Officer). Writing goes through a private temporary file, never the command line. Reloading
 * restarts the Function App, which reads Key Vault references again at once (otherwise within a day).
 */
export function keyVaultKeyStore(options: {
  vault: string;
  app?: string;
  resourceGroup?: string;
  tempDir: string;
  run: CommandRunner;
}): KeyStore {
  const { vault, run } = options;
  const secret = (name: string): string | undefined => {
    const result = run('az', [
      'keyvault',
      'secret',
      'show',
      '--vault-name',
      vault,
      '--name',
      name,
      '--query',
      'value',
      '--output',
      'tsv',
    ]);
    if (result.status === 0) return result.stdout.trim();
    if (/SecretNotFound|not found/i.test(result.stderr)) return undefined;
    throw new Error(`az keyvault secret show ${name} failed: ${result.stderr.trim()}`);
  };
  return {
    where: `Key Vault ${vault} (secret jwt-signing-keys)`,
    alg: 'RS256',
    async read() {
      const value = secret('jwt-signing-keys');
      return value === undefined ? undefined : parseKeySet(value, 'the secret jwt-signing-keys');
    },
    async write(keys) {
      const file = path.join(fs.mkdtempSync(path.join(options.tempDir, 'jwt-keys-')), 'keys.json');
      try {
        fs.writeFileSync(file, serializeKeySet(keys), { mode: 0o600 });
        const result = run('az', [
          'keyvault',
          'secret',
          'set',
          '--vault-name',
          vault,
          '--name',
          'jwt-signing-keys',
          '--file',
          file,
          '--encoding',
          'utf-8',
          '--content-type',
          'application/json',
          '--output',
          'none',
        ]);
        if (result.status !== 0) throw new Error(`az keyvault secret set failed: ${result.stderr.trim()}`);
      } finally {
        fs.rmSync(path.dirname(file), { recursive: true, force: true });
      }
    },
    async legacyKey() {
      // Deployments from before key sets stored one key as jwt-private-key / jwt-key-id.
      const pem = secret('jwt-private-key');
      if (!pem) return undefined;
      const pemText = pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem;
      return {
        kid: secret('jwt-key-id') || thumbprintOf(pemText),
        pem: pemText,
        signsFrom: ALWAYS.toISOString(),
      };
    },
    async reload() {
      if (!options.app || !options.resourceGroup)
        return 'restart the Function App so that it reads the key set now (az functionapp restart)';
      const result = run('az', [
        'functionapp',
        'restart',
        '--name',
        options.app,
        '--resource-group',
        options.resourceGroup,
        '--output',
        'none',
      ]);
      if (result.status !== 0) throw new Error(`az functionapp restart failed: ${result.stderr.trim()}`);
      return `restarted ${options.app}: it publishes the key set now`;
    },
  };
}
