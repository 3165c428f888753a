import type { Database } from '../../shared/db/database.js';
import { currentPlatform } from '../../shared/platform/current.js';
import type { Platform } from '../../shared/platform/platform.js';
import type { Logger } from '../../shared/telemetry/logger.js';
import type { Clock } from '../../shared/time/clock.js';
import type { CouponsDb, CouponsTables } from './coupons.tables.js';

export interface CouponsDeps {
  database: Database<CouponsTables>;
  db: CouponsDb;
  clock: Clock;
  log: Logger;
}

const built = new WeakMap<Platform, CouponsDeps>();

/** The coupons domain's dependencies, built once per platform. */
export function couponsDeps(platform: Platform = currentPlatform()): CouponsDeps {
  let deps = built.get(platform);
  if (!deps) {
    const database = platform.database<CouponsTables>('coupons');
    deps = {
      database,
      db: database.db,
      clock: platform.clock,
      log: platform.log.child({ domain: 'coupons' }),
    };
    built.set(platform, deps);
  }
  return deps;
}
