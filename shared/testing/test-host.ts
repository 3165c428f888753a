import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertRegistryValid } from '../functions/registry.js';
import { startLocalHost, type LocalHost } from '../local-host/server.js';
import { startPlatform, stopPlatform } from '../platform/current.js';
import type { Platform, PlatformOptions } from '../platform/platform.js';
import { prepareDomains } from '../platform/prepare.js';
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
  options: { env?: Record<string, string>; demo?: boolean; platform?: PlatformOptions } = {},
): Promise<TestHost> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-test-'));
  const clock = new ManualClock(new Date());
  const logger = memoryLogger();
  const platform = await startPlatform({
    env: {
      DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'debug',
      BCRYPT_COST: '10',
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
    ...options.platform,
  });
  assertRegistryValid();
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
    settle: () => platform.settle(),
    async close() {
      await host.close();
      await stopPlatform();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
