/**
 * `npm run keys -- <command> [--azure]`: the JWT signing key set.
 *
 *   list     what each key does now (signs, published before it signs, kept for older sessions)
 *   rotate   publishes a new key now; it signs JWT_KEY_LEAD_MINUTES later (APIM caches the JWKS
 *            for about an hour); the key it replaces stays published for REFRESH_TOKEN_DAYS
 *   ensure   makes the key set if there is none, never replaces one (azd postprovision runs it, so
 *            a re-provision keeps every session)
 *
 * Locally the set is DATA_DIR/keys/jwt-signing-keys.json. With --azure it is the Key Vault secret
 * jwt-signing-keys, through the Azure CLI as the deployer; the vault, the Function App and its
 * resource group come from azd's environment (KEY_VAULT_NAME, SERVICE_API_NAME, AZURE_RESOURCE_GROUP),
 * and the app is restarted after a change so that it reads the set at once.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { loadConfig } from '../shared/config/config.js';
import { days, minutes } from '../shared/time/clock.js';
import {
  describeKeys,
  ensureKeySet,
  keyVaultKeyStore,
  localKeyStore,
  rotateKeys,
  type CommandRunner,
  type KeyStore,
} from '../shared/auth/key-store.js';
import { ALWAYS, thumbprintOf } from '../shared/auth/keys.js';

const usage = 'usage: npm run keys -- list | rotate | ensure  [--azure]';
const args = process.argv.slice(2);
const command = args.find((a) => !a.startsWith('--'));
const azure = args.includes('--azure');

const run: CommandRunner = (cmd, cmdArgs) => {
  const result = spawnSync(cmd, cmdArgs, { encoding: 'utf8', shell: process.platform === 'win32' });
  if (result.error) throw new Error(`${cmd} could not run: ${result.error.message} (is it installed?)`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

/** A value from the environment azd gives its hooks, else from `azd env get-value`. */
function azdValue(name: string): string | undefined {
  const fromEnv = process.env[name]?.trim();
  if (fromEnv) return fromEnv;
  const result = spawnSync('azd', ['env', 'get-value', name], {
    encoding: 'utf8',
    shell: process.platform === 'win32',
  });
  return result.status === 0 ? result.stdout.trim() || undefined : undefined;
}

function storeFor(dataDir: string): KeyStore {
  if (!azure) return localKeyStore(dataDir);
  const vault = azdValue('KEY_VAULT_NAME');
  if (!vault) throw new Error('KEY_VAULT_NAME is not known: run it in the azd project, after azd provision');
  return keyVaultKeyStore({
    vault,
    app: azdValue('SERVICE_API_NAME'),
    resourceGroup: azdValue('AZURE_RESOURCE_GROUP'),
    tempDir: os.tmpdir(),
    run,
  });
}

try {
  const config = loadConfig();
  const policy = {
    now: new Date(),
    leadMs: minutes(config.JWT_KEY_LEAD_MINUTES),
    retireAfterMs: days(config.REFRESH_TOKEN_DAYS),
  };
  const store = storeFor(config.dataDir);
  let lines: string[];
  if (command === 'list') {
    const keys = await store.read();
    lines = keys ? [store.where, ...describeKeys(keys, policy)] : [`no key set in ${store.where}`];
  } else if (command === 'rotate') {
    lines = await rotateKeys(store, policy);
  } else if (command === 'ensure') {
    // A key given to azd (azd env set JWT_PRIVATE_KEY ...) becomes the first key of a new set.
    const pem = azure ? azdValue('JWT_PRIVATE_KEY')?.replace(/\\n/g, '\n') : undefined;
    const seed = pem
      ? { kid: azdValue('JWT_KEY_ID') ?? thumbprintOf(pem), pem, signsFrom: ALWAYS.toISOString() }
      : undefined;
    lines = (await ensureKeySet(store, seed)).lines;
  } else {
    process.stderr.write(`${usage}\n`);
    process.exit(2);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
} catch (error) {
  process.stderr.write(`keys: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
