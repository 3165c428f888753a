import type { AnyConsumer } from '../events/consumer.js';
import type { AnyHttpFunction } from '../http/types.js';
import { registerWithAzure } from './azure-host.js';
import type { DomainModule, TimerDefinition } from './definitions.js';
import { registryProblems } from './naming.js';

/**
 * Every function of every domain, declared once. Each domain's index.ts calls `register.*`; the
 * registry is what the local host serves, and when running inside the Azure Functions host the same
 * call also registers the function with `@azure/functions`.
 */
export const registry = {
  domains: [] as DomainModule[],
  http: [] as AnyHttpFunction[],
  consumers: [] as AnyConsumer[],
  timers: [] as TimerDefinition[],
  /** Whether a token's session is still open (the auth domain answers it): for `session: 'live'` routes. */
  sessionCheck: undefined as SessionCheck | undefined,
};

/** Asks the domain that owns sessions whether one is still open. */
export type SessionCheck = (session: { userId: string; sessionId: string }) => Promise<boolean>;

export const register = {
  domain(module: DomainModule): void {
    if (registry.domains.some((d) => d.name === module.name))
      throw new Error(`domain ${module.name} registered twice`);
    registry.domains.push(module);
  },
  http(...functions: AnyHttpFunction[]): void {
    for (const fn of functions) {
      registry.http.push(fn);
      registerWithAzure({ type: 'http', fn });
    }
  },
  consumer(...consumers: AnyConsumer[]): void {
    for (const consumer of consumers) {
      if (consumer.name.length > 50)
        throw new Error(`consumer ${consumer.name}: subscription names have at most 50 characters`);
      registry.consumers.push(consumer);
      registerWithAzure({ type: 'consumer', consumer });
    }
  },
  /** The session check of the domain that owns sessions (one per process). */
  sessionCheck(check: SessionCheck): void {
    registry.sessionCheck = check;
  },
  timer(...timers: TimerDefinition[]): void {
    for (const timer of timers) {
      registry.timers.push(timer);
      registerWithAzure({ type: 'timer', timer });
    }
  },
};

/** Throws when the registry would not work on the Azure host (checked at start-up and in a test). */
export function assertRegistryValid(): void {
  const all = [...registry.http, ...registry.consumers, ...registry.timers];
  const problems = registryProblems(all, registry.http);
  if (problems.length > 0)
    throw new Error(`The function registry is invalid:\n  - ${problems.join('\n  - ')}`);
}
