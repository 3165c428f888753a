import type { SessionCheck } from '../auth/session-check.js';
import type { AnyConsumer } from '../events/consumer.js';
import type { AnyHttpFunction } from '../http/types.js';
import type { DomainModule, TimerDefinition } from './definitions.js';
import { registryProblems } from './naming.js';

export type { SessionCheck } from '../auth/session-check.js';

/**
 * Every function of every domain, declared once. Each domain's index.ts calls `register.*`, and the
 * registry only records: the hosts read it. The local host serves it; the Azure entry
 * (functions/azure.ts) hands each function to `@azure/functions`.
 */
export const registry = {
  domains: [] as DomainModule[],
  http: [] as AnyHttpFunction[],
  consumers: [] as AnyConsumer[],
  timers: [] as TimerDefinition[],
  /** Whether a token's session is still open (the auth domain answers it): for `session: 'live'` routes. */
  sessionCheck: undefined as SessionCheck | undefined,
};

export const register = {
  domain(module: DomainModule): void {
    if (registry.domains.some((d) => d.name === module.name))
      throw new Error(`domain ${module.name} registered twice`);
    registry.domains.push(module);
  },
  http(...functions: AnyHttpFunction[]): void {
    registry.http.push(...functions);
  },
  consumer(...consumers: AnyConsumer[]): void {
    for (const consumer of consumers) {
      if (consumer.name.length > 50)
        throw new Error(`consumer ${consumer.name}: subscription names have at most 50 characters`);
      registry.consumers.push(consumer);
    }
  },
  /** The session check of the domain that owns sessions (one per process). */
  sessionCheck(check: SessionCheck): void {
    registry.sessionCheck = check;
  },
  timer(...timers: TimerDefinition[]): void {
    registry.timers.push(...timers);
  },
};

/** The domains that have a database (and so migrations, an outbox and an inbox). */
export function domainsWithDatabase(): string[] {
  return registry.domains.filter((d) => d.migrations.length > 0).map((d) => d.name);
}

/**
 * What the platform reads from the registry, read when used (a domain may register after the start):
 * the consumers the embedded bus delivers to, the session check, the domains whose outboxes the relay
 * sweeps. An entry passes it to `startPlatform`.
 */
export function registeredParts() {
  return {
    consumers: () => registry.consumers,
    sessionCheck: () => registry.sessionCheck,
    domains: domainsWithDatabase,
  };
}

/** Throws when the registry would not work on the Azure host (checked at start-up and in a test). */
export function assertRegistryValid(): void {
  const all = [...registry.http, ...registry.consumers, ...registry.timers];
  const problems = registryProblems(all, registry.http);
  if (problems.length > 0)
    throw new Error(`The function registry is invalid:\n  - ${problems.join('\n  - ')}`);
}
