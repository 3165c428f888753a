import type { Database } from '../../shared/db/database.js';
import { unitOfWork } from '../../shared/events/unit-of-work.js';
import { currentPlatform } from '../../shared/platform/current.js';
import type { Platform } from '../../shared/platform/platform.js';
import type { BlobStore } from '../../shared/storage/blob-store.js';
import type { Logger } from '../../shared/telemetry/logger.js';
import type { Clock } from '../../shared/time/clock.js';
import * as repo from './catalog.repository.js';
import type { CatalogDb, CatalogTables } from './catalog.tables.js';
import { ReadCache, RevisionReader } from './read-cache.js';
import { ViewCounter } from './view-counter.js';

export interface CatalogDeps {
  database: Database<CatalogTables>;
  db: CatalogDb;
  /** One transaction of the catalog database whose `emit` writes to its outbox. */
  transaction: ReturnType<typeof unitOfWork<CatalogTables>>;
  blobs: BlobStore;
  clock: Clock;
  log: Logger;
  /** Encoded answers of the public GETs; undefined when CATALOG_CACHE=off. */
  cache: ReadCache | undefined;
  /** How long API Management and browsers may keep a public answer (CATALOG_CACHE_SECONDS; 0: revalidate). */
  cacheSeconds: number;
  views: ViewCounter;
  /** The catalog revision, read once for the requests that arrive together (RevisionReader). */
  revision: RevisionReader;
}

const built = new WeakMap<Platform, CatalogDeps>();

/** The catalog's dependencies, built once per platform. */
export function catalogDeps(platform: Platform = currentPlatform()): CatalogDeps {
  let deps = built.get(platform);
  if (!deps) {
    const database = platform.database<CatalogTables>('catalog');
    const log = platform.log.child({ domain: 'catalog' });
    const { config } = platform;
    const views = new ViewCounter(
      (productId, n) => repo.addViews(database.db, productId, n),
      log,
      config.VIEW_FLUSH_SECONDS * 1000,
    );
    // Views counted and not yet written are written before the database closes.
    platform.onClose(() => views.close());
    deps = {
      database,
      db: database.db,
      transaction: unitOfWork(database, platform.relay, platform.clock),
      blobs: platform.blobs,
      clock: platform.clock,
      log,
      cache:
        config.CATALOG_CACHE === 'on' ? new ReadCache(config.CATALOG_CACHE_MAX_MB * 1024 * 1024) : undefined,
      cacheSeconds: config.CATALOG_CACHE_SECONDS,
      views,
      // Committed data only, without queueing behind this instance's own statements (readCommitted).
      revision: new RevisionReader(async () =>
        repo.revisionOf(await database.readCommitted(repo.revisionQuery(database.db))),
      ),
    };
    built.set(platform, deps);
  }
  return deps;
}
