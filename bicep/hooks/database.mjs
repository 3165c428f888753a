// azd hook (azure.yaml): prepares the domain databases after `azd provision` and before each deploy.
//
//   node bicep/hooks/database.mjs --grant   give the Function App's identity a user in every
//                                           domain database (db_datareader + db_datawriter), then migrate
//   node bicep/hooks/database.mjs           migrate only
//   node bicep/hooks/database.mjs --after-deploy
//                                           migrate (a no-op by then) and run each domain's work for
//                                           once the new code is live (the catalog's product cards)
//
// It runs on the deployer's machine as the deployer (the SQL server's Entra administrator, signed
// in with `azd auth login` or `az login`), with the values azd exports from the Bicep outputs.
// When the SQL server refuses the machine's address, the hook adds a firewall rule for that
// address (AllowDeployerClient, the same rule `azd env set SQL_CLIENT_IP <ip>` makes Bicep write)
// and tries again.
import { spawnSync } from 'node:child_process';
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AzureDeveloperCliCredential, ChainedTokenCredential, DefaultAzureCredential } from '@azure/identity';
import sql from 'mssql';

const env = process.env;
const need = (name) => {
  const value = env[name];
  if (!value) {
    console.error(`database hook: ${name} is not set (an output of bicep/main.bicep; run azd provision)`);
    process.exit(1);
  }
  return value;
};

/** The SID of a Microsoft Entra application for CREATE USER ... WITH SID: its client id as .NET Guid bytes. */
function sidOf(clientId) {
  const hex = clientId.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`not a client id: ${clientId}`);
  const bytes = Buffer.from(hex, 'hex');
  const reorder = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  return `0x${Buffer.from(reorder.map((i) => bytes[i]))
    .toString('hex')
    .toUpperCase()}`;
}

/** Runs a batch in one database, signed in with the deployer's Entra ID token. */
async function execute(server, database, credential, statement) {
  const pool = new sql.ConnectionPool({
    server,
    port: 1433,
    database,
    authentication: { type: 'token-credential', options: { credential } },
    options: { encrypt: true },
    connectionTimeout: 30_000,
    pool: { min: 0, max: 1 },
  });
  await pool.connect();
  try {
    await pool.request().batch(statement);
  } finally {
    await pool.close();
  }
}

/** Adds (or moves) the AllowDeployerClient firewall rule to this machine's address, through ARM. */
async function allowAddress(credential, address) {
  const server = need('SQL_SERVER').split('.')[0];
  const url =
    `https://management.azure.com/subscriptions/${need('AZURE_SUBSCRIPTION_ID')}` +
    `/resourceGroups/${need('AZURE_RESOURCE_GROUP')}/providers/Microsoft.Sql/servers/${server}` +
    `/firewallRules/AllowDeployerClient?api-version=2023-08-01`;
  const { token } = await credential.getToken('https://management.azure.com/.default');
  const response = await globalThis.fetch(url, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ properties: { startIpAddress: address, endIpAddress: address } }),
  });
  if (!response.ok)
    throw new Error(`adding the firewall rule failed: ${response.status} ${await response.text()}`);
  console.log(`database hook: the SQL server now accepts ${address} (firewall rule AllowDeployerClient)`);
}

/** Runs `work`; when the firewall refuses this machine, allows its address and retries for a while. */
async function throughFirewall(credential, work) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const refused = /Client with IP address '([0-9a-fA-F.:]+)' is not allowed/.exec(String(error));
      if (!refused || attempt >= 8) throw error;
      if (attempt === 0) await allowAddress(credential, refused[1]);
      await sleep(15_000); // a new rule takes a little while to apply
    }
  }
}

async function grant() {
  const server = need('SQL_SERVER');
  const prefix = env.SQL_DATABASE_PREFIX ?? '';
  const databases = need('SQL_DATABASES').split(',').filter(Boolean);
  const user = need('FUNCTION_IDENTITY_NAME');
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(user)) throw new Error(`unexpected identity name ${user}`);
  const sid = sidOf(need('FUNCTION_IDENTITY_CLIENT_ID'));
  // WITH SID ... TYPE = E creates the user from the client id, so the server needs no Microsoft
  // Graph permission to look the identity up. Every statement is idempotent.
  const statement = `
if not exists (select 1 from sys.database_principals where name = N'${user}')
  create user [${user}] with sid = ${sid}, type = E;
alter role db_datareader add member [${user}];
alter role db_datawriter add member [${user}];`;
  // azd's own sign-in first, in azd's tenant: DefaultAzureCredential alone tries the Azure CLI
  // before azd and may act as another account (shared/azure/credential.ts does the same for the app).
  const tenantId = env.AZURE_TENANT_ID;
  const credential = new ChainedTokenCredential(
    new AzureDeveloperCliCredential(tenantId ? { tenantId } : {}),
    new DefaultAzureCredential(tenantId ? { tenantId } : {}),
  );
  for (const database of databases) {
    await throughFirewall(credential, () => execute(server, `${prefix}${database}`, credential, statement));
    console.log(`database hook: ${user} can read and write ${prefix}${database}`);
  }
}

function migrate() {
  // A clean environment: the deployer's own credential (no AZURE_CLIENT_ID of the app identity),
  // a throwaway DATA_DIR, never demo data. Events raised by the bootstrap go to Service Bus.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-migrate-'));
  const settings = {
    SQL_SERVER: need('SQL_SERVER'),
    SQL_DATABASE_PREFIX: env.SQL_DATABASE_PREFIX ?? '',
    SERVICE_BUS_NAMESPACE: env.SERVICE_BUS_NAMESPACE ?? '',
    DEMO_DATA: 'false',
    DATA_DIR: dataDir,
    ...(env.ADMIN_EMAIL && env.ADMIN_PASSWORD
      ? { ADMIN_EMAIL: env.ADMIN_EMAIL, ADMIN_PASSWORD: env.ADMIN_PASSWORD }
      : {}),
  };
  if (env.ADMIN_EMAIL && !env.ADMIN_PASSWORD)
    console.warn(
      'database hook: ADMIN_PASSWORD is not in the azd environment; the ADMIN is not bootstrapped',
    );
  const inherited = Object.fromEntries(
    [
      'PATH',
      'HOME',
      'USERPROFILE',
      'APPDATA',
      'LOCALAPPDATA',
      'SystemRoot',
      'TEMP',
      'TMP',
      'AZURE_CONFIG_DIR',
    ]
      .filter((k) => env[k] !== undefined)
      .map((k) => [k, env[k]]),
  );
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const args = [
    'run',
    'db:migrate',
    ...(process.argv.includes('--after-deploy') ? ['--', '--after-deploy'] : []),
  ];
  const result = spawnSync(npm, args, {
    stdio: 'inherit',
    env: { ...inherited, ...settings },
    shell: process.platform === 'win32',
  });
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

try {
  if (process.argv.includes('--grant')) await grant();
  migrate();
} catch (error) {
  console.error(`database hook failed: ${error instanceof Error ? error.message : String(error)}`);
  if (/not allowed to access the server/i.test(String(error)))
    console.error('Allow this machine: azd env set SQL_CLIENT_IP <public IP>, then azd provision.');
  process.exit(1);
}
