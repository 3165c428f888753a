import { migrateDomain } from '../db/migrations.js';
import { messagingMigration, outboxParkingMigration } from '../events/outbox.migration.js';
import type { DomainModule } from './definitions.js';
import { registry } from './registry.js';
import type { Platform } from '../platform/platform.js';

/**
 * Brings every registered domain's database to the latest schema (the shared outbox/inbox tables
 * first), then runs each domain's bootstrap and, when asked, its demo data and its work for after
 * a deployment (DomainModule.afterDeploy). Idempotent.
 *
 * Each step runs for the domains side by side (each owns its database, and no bootstrap or demo
 * uses another domain): while one waits (the catalog's demo photos render on libuv's threads,
 * Azure SQL answers over the network), the others go on. Every schema is in place before any
 * bootstrap or demo runs, so an event one of them emits never reaches a domain without its tables.
 * Each step waits for every domain, then throws the first failure.
 */
export async function prepareDomains(
  platform: Platform,
  options: { demo: boolean; afterDeploy?: boolean },
): Promise<void> {
  await eachDomain(async (domain) => {
    if (domain.migrations.length === 0) return;
    const applied = await migrateDomain(platform.database(domain.name), [
      messagingMigration,
      outboxParkingMigration,
      ...domain.migrations,
    ]);
    if (applied.length > 0) platform.log.info(`migrated ${domain.name}`, { applied });
  });
  await eachDomain(async (domain) => {
    await domain.bootstrap?.(platform);
    if (options.demo) await domain.demo?.(platform);
    if (options.afterDeploy) await domain.afterDeploy?.(platform);
  });
  await platform.settle();
}

async function eachDomain(step: (domain: DomainModule) => Promise<void>): Promise<void> {
  const outcomes = await Promise.allSettled(registry.domains.map(step));
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}
