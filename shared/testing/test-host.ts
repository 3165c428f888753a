import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { createSqlServerDatabases, dropSqlServerDatabases } from '../db/sqlserver-admin.js';
import type { AccessTokenClaims } from '../auth/tokens.js';
import {
  assertRegistryValid,
  domainsWithDatabase,
  registeredParts,
  registry,
  type SessionCheck,
} from '../functions/registry.js';
import { startLocalHost, type LocalHost } from '../local-host/server.js';
import { startPlatform, stopPlatform } from '../platform/current.js';
import type { Platform, PlatformOptions } from '../platform/platform.js';
import { prepareDomains } from '../functions/prepare.js';
import { memoryLogger } from '../telemetry/logger.js';
import { ManualClock } from '../time/clock.js';

export interface TestHost {
  url: string;
  platform: Platform;
  clock: ManualClock;
  logs: ReturnType<typeof memoryLogger>['lines'];
  dataDir: string;
  /** Calls the API: `call('POST', '/api/auth/login', { json: {...} })`. */
  call(method: string, urlPath: string, options?: CallOptions): Promise<ApiResponse>;
  /**
   * Signs an access token for a session that counts as live (routes that check the session accept
   * it), for tests that need a caller without signing in through the auth domain.
   */
  mintToken(claims: AccessTokenClaims): string;
  /** Publishes every outbox row and delivers every message (retries without backoff). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface CallOptions {
  json?: unknown;
  /** A raw body, sent as is (with `contentType`). */
  body?: string | Buffer;
  contentType?: string;
  form?: FormData;
  token?: string;
  headers?: Record<string, string>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body (the envelope), or undefined when the body is not JSON. */
  body: {
    data: unknown;
    isSuccess: boolean;
    message: string;
    type: string;
    code?: string;
    errors?: unknown[];
  } & Record<string, unknown>;
  text: string;
}

/**
 * A whole shop for one test file: a fresh DATA_DIR, every domain migrated, the local host on a free
 * loopback port, a manual clock, and logs kept in memory. Import the domains you need before
 * calling (or `functions/index.js` for all of them).
 */
export async function startTestHost(
  options: {
    env?: Record<string, string>;
    demo?: boolean;
    platform?: PlatformOptions;
    /** Runs on this DATA_DIR instead of a fresh one (to test a restart); the caller removes it. */
    dataDir?: string;
    /** A clock shared with a test double (the Stripe double signs and expires by it). */
    clock?: ManualClock;
  } = {},
): Promise<TestHost> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'shop-test-'));
  const clock = options.clock ?? new ManualClock(new Date());
  const logger = memoryLogger();
  const sqlServer = sqlServerEnv(options.dataDir);
  // Sessions of minted tokens are live; any other goes to the auth domain's own check, when loaded.
  const mintedSessions = new Set<string>();
  const sessionCheck: SessionCheck = async (session) =>
    mintedSessions.has(session.sessionId) || ((await registry.sessionCheck?.(session)) ?? false);
  const platform = await startPlatform({
    env: {
      ...sqlServer,
      DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'debug',
      BCRYPT_COST: '10',
      // Tests move the clock by hours; tokens of the production default (10 minutes) would expire
      // mid-test. The default itself is tested in functions/auth/tests/reset-and-revocation.test.ts.
      ACCESS_TOKEN_MINUTES: '60',
      DEMO_DATA: 'false',
      ...options.env,
    },
    clock,
    logSinks: [
      (level, msg, fields) => {
        logger.lines.push({ level, msg, fields });
        if (
          process.env['TEST_LOGS'] === '1' ||
          (level === 'error' && fields['error'] && !fields['expected'])
        ) {
          process.stderr.write(`${level}: ${msg} ${JSON.stringify(fields)}\n`);
        }
      },
    ],
    ...registeredParts(),
    sessionCheck: () => sessionCheck,
    ...options.platform,
  });
  assertRegistryValid();
  const domains = domainsWithDatabase();
  if (platform.config.usesSqlServer) await createSqlServerDatabases(platform.config, domains);
  await prepareDomains(platform, { demo: options.demo ?? false });
  const host: LocalHost = await startLocalHost(platform, { timers: false, deliverEvents: false });

  const call = async (method: string, urlPath: string, o: CallOptions = {}): Promise<ApiResponse> => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers['authorization'] = `Bearer ${o.token}`;
    let body: string | Buffer | FormData | undefined;
    if (o.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(o.json);
    } else if (o.form) body = o.form;
    else if (o.body !== undefined) {
      body = o.body;
      if (o.contentType) headers['content-type'] = o.contentType;
    }
    const res = await fetch(host.url + urlPath, { method, headers, body });
    const text = await res.text();
    let parsed: ApiResponse['body'];
    try {
      parsed = JSON.parse(text) as ApiResponse['body'];
    } catch {
      parsed = { data: undefined, isSuccess: false, message: '', type: '' };
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };

  return {
    url: host.url,
    platform,
    clock,
    logs: logger.lines,
    dataDir,
    call,
    mintToken(claims) {
      mintedSessions.add(claims.sid);
      return platform.tokens.sign(claims);
    },
    settle: () => platform.settle(),
    async close() {
      await host.close();
      await stopPlatform();
      if (options.dataDir === undefined) {
        if (platform.config.usesSqlServer) await dropSqlServerDatabases(platform.config, domains);
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * The same suite runs against SQL Server when SQL_SERVER (and SQL_USER / SQL_PASSWORD) are set in
 * the environment (the GitHub workflow does it): each test host then gets databases of its own,
 * under a random prefix, created before and dropped after. A host given a `dataDir` (a restart)
 * gets the prefix of that folder, so it finds the databases a previous host left there.
 */
function sqlServerEnv(dataDir: string | undefined): Record<string, string> {
  const env = process.env;
  if (!env['SQL_SERVER']) return {};
  const keys = ['SQL_SERVER', 'SQL_PORT', 'SQL_USER', 'SQL_PASSWORD', 'SQL_TRUST_SERVER_CERTIFICATE'];
  const picked = Object.fromEntries(keys.filter((k) => env[k] !== undefined).map((k) => [k, env[k] ?? '']));
  const tag = dataDir
    ? createHash('sha256').update(dataDir).digest('hex').slice(0, 8)
    : randomBytes(4).toString('hex');
  return { ...picked, SQL_DATABASE_PREFIX: `t${tag}_` };
}
