import { migrateDomain } from '../db/migrations.js';
import { messagingMigration, outboxParkingMigration } from '../events/outbox.migration.js';
import { registry } from './registry.js';
import type { Platform } from '../platform/platform.js';

/**
 * Brings every registered domain's database to the latest schema (the shared outbox/inbox tables
 * first), then runs each domain's bootstrap and, when asked, its demo data. Idempotent.
 */
export async function prepareDomains(platform: Platform, options: { demo: boolean }): Promise<void> {
  for (const domain of registry.domains.filter((d) => d.migrations.length > 0)) {
    const applied = await migrateDomain(platform.database(domain.name), [
      messagingMigration,
      outboxParkingMigration,
      ...domain.migrations,
    ]);
    if (applied.length > 0) platform.log.info(`migrated ${domain.name}`, { applied });
  }
  for (const domain of registry.domains) await domain.bootstrap?.(platform);
  if (options.demo) for (const domain of registry.domains) await domain.demo?.(platform);
  await platform.settle();
}
