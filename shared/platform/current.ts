import { loadConfig } from '../config/config.js';
import { createPlatform, type Platform, type PlatformOptions } from './platform.js';

/**
 * The process's platform, built from the environment once per process: by the entry that starts the
 * process (functions/*.ts), which also says where the platform finds the registered consumers,
 * session check and domains; inside the Azure host on the first invocation of a worker.
 *
 * A start that fails is not kept: in Azure it fails for reasons that pass (a Key Vault reference not
 * yet readable, a serverless database waking up, a role assignment still propagating), so the next
 * request tries again, after a short back-off that grows with each failure, instead of the worker
 * answering 500 until it is recycled. Health reports the failure meanwhile.
 */
let current: Platform | undefined;
let starting: Promise<Platform> | undefined;
let failure: { at: number; attempts: number; error: unknown } | undefined;

export class PlatformStartError extends Error {
  constructor(
    readonly attempts: number,
    readonly retryInMs: number,
    cause: unknown,
  ) {
    super(
      `the platform could not start (${attempts} attempt(s)); next try in ${Math.ceil(retryInMs / 1000)} s`,
      {
        cause,
      },
    );
    this.name = 'PlatformStartError';
  }
}

/** 1 s after the first failure, doubling, at most 30 s. */
const backoffMs = (attempts: number) => Math.min(1000 * 2 ** (attempts - 1), 30_000);

export function currentPlatform(): Platform {
  if (!current) throw new Error('The platform is not started: call startPlatform() first.');
  return current;
}

export function startPlatform(
  options: PlatformOptions & { env?: NodeJS.ProcessEnv } = {},
): Promise<Platform> {
  if (starting) return starting;
  if (failure) {
    const wait = failure.at + backoffMs(failure.attempts) - Date.now();
    if (wait > 0) return Promise.reject(new PlatformStartError(failure.attempts, wait, failure.error));
  }
  const attempt = (async () => {
    const config = loadConfig(options.env ?? process.env);
    return createPlatform(config, options);
  })();
  starting = attempt.then(
    (platform) => {
      current = platform;
      failure = undefined;
      return platform;
    },
    (error: unknown) => {
      starting = undefined;
      const attempts = (failure?.attempts ?? 0) + 1;
      failure = { at: Date.now(), attempts, error };
      throw error; // as it is: a ConfigError still names each bad setting
    },
  );
  return starting;
}

/** Why the last start failed, while no start has succeeded since (for health). */
export function lastStartFailure(): { attempts: number; at: Date; error: unknown } | undefined {
  return failure && { attempts: failure.attempts, at: new Date(failure.at), error: failure.error };
}

/**
 * Closes the platform. It stays current while it closes, because the event bus finishes the
 * deliveries it has begun and their consumers look it up (they used to fail with "the platform is
 * not started" at every shutdown, and ran again at the next start).
 */
export async function stopPlatform(): Promise<void> {
  const p = current;
  starting = undefined;
  failure = undefined;
  try {
    await p?.close();
  } finally {
    if (current === p) current = undefined;
  }
}
