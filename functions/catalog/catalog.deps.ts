import type { Database } from '../../shared/db/database.js';
import { unitOfWork } from '../../shared/events/unit-of-work.js';
import { currentPlatform } from '../../shared/platform/current.js';
import type { Platform } from '../../shared/platform/platform.js';
import type { BlobStore } from '../../shared/storage/blob-store.js';
import type { Logger } from '../../shared/telemetry/logger.js';
import type { Clock } from '../../shared/time/clock.js';
import type { CatalogDb, CatalogTables } from './catalog.tables.js';

export interface CatalogDeps {
  database: Database<CatalogTables>;
  db: CatalogDb;
  /** One transaction of the catalog database whose `emit` writes to its outbox. */
  transaction: ReturnType<typeof unitOfWork<CatalogTables>>;
  blobs: BlobStore;
  clock: Clock;
  log: Logger;
}

const built = new WeakMap<Platform, CatalogDeps>();

/** The catalog's dependencies, built once per platform. */
export function catalogDeps(platform: Platform = currentPlatform()): CatalogDeps {
  let deps = built.get(platform);
  if (!deps) {
    const database = platform.database<CatalogTables>('catalog');
    deps = {
      database,
      db: database.db,
      transaction: unitOfWork(database, platform.relay, platform.clock),
      blobs: platform.blobs,
      clock: platform.clock,
      log: platform.log.child({ domain: 'catalog' }),
    };
    built.set(platform, deps);
  }
  return deps;
}
