import type { TokenCredential } from '@azure/identity';
import { azureCredential } from '../azure/credential.js';
import sql from 'mssql';
import type { Config } from '../config/config.js';

/**
 * Connections per domain database in one process, worked out for Flex Consumption:
 * - an instance runs at most 16 invocations at once: the default per-instance HTTP concurrency at
 *   our instance size (bicep/modules/function-app.bicep, instanceMemoryMB 2048; the default follows
 *   instance memory: 4 at 512 MB, 16 at 2048 MB, 32 at 4096 MB), and host.json's Service Bus
 *   maxConcurrentCalls of 16 for the instances that run a consumer;
 * - an invocation holds at most one connection per database at a time (its statements are awaited
 *   one after another, a transaction keeps its one), so 16 never makes one invocation wait for
 *   another's connection, and more would only sit idle;
 * - a serverless GP_S_Gen5_1 database (bicep/modules/sql.bicep, maxVCores 1) allows 75 concurrent
 *   workers (running requests) and 30,000 sessions: 16 per instance lets 4 instances run flat out
 *   against one database (64 workers) before its worker limit (error 10928) applies, and sessions
 *   never run out (maximumInstanceCount 40 × 16 = 640).
 * None is kept open (min 0) and an idle one closes after 30 s, so an idle shop holds no session and
 * the database can auto-pause (after 60 minutes without one, bicep autoPauseDelayMinutes).
 */
export const POOL_MAX = 16;
export const POOL_IDLE_MS = 30_000;
/** One attempt to connect and log in; a database waking from auto-pause is retried (AZURE_SQL_WAKE). */
export const CONNECT_TIMEOUT_MS = 30_000;

/** The Azure SQL / SQL Server database of a domain: SQL_DATABASE_PREFIX + domain. */
export function sqlServerDatabaseName(domain: string, config: Config): string {
  return `${config.SQL_DATABASE_PREFIX}${domain}`;
}

/**
 * An `mssql` pool on one database of SQL_SERVER (not connected yet: the driver connects it). SQL
 * authentication when SQL_USER is set (CI's SQL Server container); otherwise an Entra ID token from
 * the user-assigned managed identity AZURE_CLIENT_ID (DefaultAzureCredential, which locally is the
 * developer's `az login`). The credential is handed to tedious as a `token-credential` and shared by
 * every pool of the process: `azure-active-directory-default` would build a new credential, and ask
 * the identity endpoint for a new token, for every connection made.
 */
export function sqlServerPool(
  database: string,
  config: Config,
  size = { max: POOL_MAX },
): sql.ConnectionPool {
  return new sql.ConnectionPool({
    server: config.SQL_SERVER ?? '',
    port: config.SQL_PORT,
    database,
    ...(config.SQL_USER !== undefined
      ? { user: config.SQL_USER, password: config.SQL_PASSWORD ?? '' }
      : {
          authentication: {
            type: 'token-credential',
            options: { credential: sharedCredential(config.AZURE_CLIENT_ID) },
          },
        }),
    options: {
      encrypt: true,
      trustServerCertificate: config.SQL_TRUST_SERVER_CERTIFICATE,
      useUTC: true,
      appName: 'ecommerce-functions',
    },
    connectionTimeout: CONNECT_TIMEOUT_MS,
    pool: { min: 0, max: size.max, idleTimeoutMillis: POOL_IDLE_MS },
    // A lent connection is checked without a round trip (mssql's default sends `SELECT 1` each time):
    // none idles longer than 30 s, well inside Azure SQL's own idle limits.
    validateConnection: 'socket',
  });
}

const credentials = new Map<string, TokenCredential>();

function sharedCredential(clientId: string | undefined): TokenCredential {
  const key = clientId ?? '';
  let credential = credentials.get(key);
  if (!credential) {
    credential = azureCredential({ clientId });
    credentials.set(key, credential);
  }
  return credential;
}
