import { migrateDomain } from '../db/migrations.js';
import { messagingMigration, outboxParkingMigration } from '../events/outbox.migration.js';
import { registry } from './registry.js';
import type { Platform } from '../platform/platform.js';

/**
 * Brings every registered domain's database to the latest schema (the shared outbox/inbox tables
 * first), then runs the domain's bootstrap and, when asked, its demo data. Idempotent.
 *
 * Domains are prepared side by side: each owns its database, and no bootstrap or demo uses another
 * domain. While one waits (the catalog's demo photos render on libuv's threads, Azure SQL answers
 * over the network), the others migrate. Every domain finishes before this resolves; the first
 * failure is then thrown.
 */
export async function prepareDomains(platform: Platform, options: { demo: boolean }): Promise<void> {
  const outcomes = await Promise.allSettled(
    registry.domains.map(async (domain) => {
      if (domain.migrations.length > 0) {
        const applied = await migrateDomain(platform.database(domain.name), [
          messagingMigration,
          outboxParkingMigration,
          ...domain.migrations,
        ]);
        if (applied.length > 0) platform.log.info(`migrated ${domain.name}`, { applied });
      }
      await domain.bootstrap?.(platform);
      if (options.demo) await domain.demo?.(platform);
    }),
  );
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  await platform.settle();
}
