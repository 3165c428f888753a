import type { Database } from '../../shared/db/database.js';
import { unitOfWork } from '../../shared/events/unit-of-work.js';
import { currentPlatform } from '../../shared/platform/current.js';
import type { Platform } from '../../shared/platform/platform.js';
import type { Logger } from '../../shared/telemetry/logger.js';
import type { Clock } from '../../shared/time/clock.js';
import {
  issuePersonalCoupon,
  withdrawPersonalCoupon,
  type Coupon,
  type PersonalCouponRequest,
} from '../coupons/coupons.client.js';
import type { RewardsDb, RewardsTables } from './rewards.tables.js';

/** The coupons domain as rewards needs it: personal coupons issued for a redemption. */
export interface PersonalCoupons {
  /** Issuing twice with the same source key gives the same coupon. */
  issue(request: PersonalCouponRequest): Promise<Coupon>;
  /** Withdraws the unused coupon of a source key; false when it was used already. */
  withdraw(sourceKey: string): Promise<boolean>;
}

export interface RewardSettings {
  /** Points per whole currency unit paid (0 turns earning off). */
  pointsPerUnit: number;
  /** What one point is worth as a coupon, in minor units. */
  pointValueMinor: number;
  couponDays: number;
  currency: string;
}

export interface RewardsDeps {
  database: Database<RewardsTables>;
  db: RewardsDb;
  transaction: ReturnType<typeof unitOfWork<RewardsTables>>;
  coupons: PersonalCoupons;
  settings: RewardSettings;
  clock: Clock;
  log: Logger;
}

const built = new WeakMap<Platform, RewardsDeps>();

/** The rewards domain's dependencies, built once per platform. */
export function rewardsDeps(platform: Platform = currentPlatform()): RewardsDeps {
  let deps = built.get(platform);
  if (!deps) {
    const database = platform.database<RewardsTables>('rewards');
    const { config } = platform;
    deps = {
      database,
      db: database.db,
      transaction: unitOfWork(database, platform.relay, platform.clock),
      coupons: { issue: issuePersonalCoupon, withdraw: withdrawPersonalCoupon },
      settings: {
        pointsPerUnit: config.REWARD_POINTS_PER_UNIT,
        pointValueMinor: config.REWARD_POINT_VALUE_MINOR,
        couponDays: config.REWARD_COUPON_DAYS,
        currency: config.SHOP_CURRENCY,
      },
      clock: platform.clock,
      log: platform.log.child({ domain: 'rewards' }),
    };
    built.set(platform, deps);
  }
  return deps;
}
