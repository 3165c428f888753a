import { loadConfig } from '../config/config.js';
import { registry } from '../functions/registry.js';
import { createPlatform, type Platform, type PlatformOptions } from './platform.js';

/**
 * The process's platform. The local host and tests set it explicitly; inside the Azure host it is
 * built from the environment on first use (`ready()` awaits that once per worker).
 */
let current: Platform | undefined;
let starting: Promise<Platform> | undefined;

export function currentPlatform(): Platform {
  if (!current) throw new Error('The platform is not started: call startPlatform() first.');
  return current;
}

export function startPlatform(
  options: PlatformOptions & { env?: NodeJS.ProcessEnv } = {},
): Promise<Platform> {
  starting ??= createPlatform(loadConfig(options.env ?? process.env), {
    consumers: () => registry.consumers,
    domains: () => registry.domains.filter((d) => d.migrations.length > 0).map((d) => d.name),
    ...options,
  }).then((p) => (current = p));
  return starting;
}

export async function stopPlatform(): Promise<void> {
  const p = current;
  current = undefined;
  starting = undefined;
  await p?.close();
}
