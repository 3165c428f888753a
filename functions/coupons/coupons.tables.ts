import type { Generated, Kysely, Selectable } from 'kysely';
import type { MessagingTables } from '../../shared/events/outbox.tables.js';

export type DiscountType = 'fixed' | 'percent';
export type RedemptionStatus = 'reserved' | 'committed' | 'released';

/**
 * Money is in integer minor units. A percent discount is stored in hundredths of a percent
 * (12.5% = 1250), which is the same scale `parseMoney` produces, so one parser serves both.
 */
export interface CouponsTable {
  id: Generated<number>;
  /** Normalised: trimmed, upper case (Azure SQL compares case-insensitively, SQLite does not). */
  code: string;
  discount_type: DiscountType;
  discount_value: number;
  min_amount: number;
  max_discount: number | null;
  starts_at: Date | null;
  ends_at: Date | null;
  usage_limit: number | null;
  per_customer_limit: number | null;
  /** Reserved plus committed redemptions; changed only by conditional updates. */
  times_used: Generated<number>;
  is_active: boolean;
  /** Soft delete, for coupons that past orders redeemed. */
  is_deleted: Generated<boolean>;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  /** A personal coupon's owner: nobody else may use it (null: anyone). */
  owner_user_id: Generated<string | null>;
  /** What issued it (a reward redemption), unique: issuing again finds this coupon. */
  source_key: Generated<string | null>;
}

/** One counter per (coupon, customer): the per-customer limit is enforced on it, like the total. */
export interface CouponCustomerUsageTable {
  coupon_id: number;
  user_id: string;
  times_used: Generated<number>;
}

/** One row per (coupon, order): the unique index makes a repeated reservation a no-op. */
export interface CouponRedemptionsTable {
  id: Generated<number>;
  coupon_id: number;
  order_id: number;
  user_id: string;
  status: RedemptionStatus;
  amount_minor: number;
  discount_minor: number;
  reserved_at: Date;
  committed_at: Date | null;
  released_at: Date | null;
}

export interface CouponsTables extends MessagingTables {
  coupons: CouponsTable;
  coupon_customer_usage: CouponCustomerUsageTable;
  coupon_redemptions: CouponRedemptionsTable;
}

/** The database or a transaction (a Transaction is a Kysely). */
export type CouponsDb = Kysely<CouponsTables>;
export type CouponRow = Selectable<CouponsTable>;
export type RedemptionRow = Selectable<CouponRedemptionsTable>;
