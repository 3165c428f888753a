import type { Config } from '../../shared/config/config.js';
import type { TokenService } from '../../shared/auth/tokens.js';
import type { Database } from '../../shared/db/database.js';
import { unitOfWork } from '../../shared/events/unit-of-work.js';
import { currentPlatform } from '../../shared/platform/current.js';
import type { Platform } from '../../shared/platform/platform.js';
import type { BlobStore } from '../../shared/storage/blob-store.js';
import type { Logger } from '../../shared/telemetry/logger.js';
import type { Clock } from '../../shared/time/clock.js';
import type { AuthDb, AuthTables } from './auth.tables.js';
import { createPasswordHasher, type PasswordHasher } from './passwords.js';

export interface AuthDeps {
  config: Config;
  database: Database<AuthTables>;
  db: AuthDb;
  transaction: ReturnType<typeof unitOfWork<AuthTables>>;
  passwords: PasswordHasher;
  tokens: TokenService;
  clock: Clock;
  blobs: BlobStore;
  log: Logger;
}

const built = new WeakMap<Platform, AuthDeps>();

/** The auth domain's dependencies, built once per platform. */
export function authDeps(platform: Platform = currentPlatform()): AuthDeps {
  let deps = built.get(platform);
  if (!deps) {
    const database = platform.database<AuthTables>('auth');
    deps = {
      config: platform.config,
      database,
      db: database.db,
      transaction: unitOfWork(database, platform.relay, platform.clock),
      passwords: createPasswordHasher(platform.config.BCRYPT_COST),
      tokens: platform.tokens,
      clock: platform.clock,
      blobs: platform.blobs,
      log: platform.log.child({ domain: 'auth' }),
    };
    built.set(platform, deps);
  }
  return deps;
}
