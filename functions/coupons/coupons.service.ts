import type { Insertable } from 'kysely';
import { badRequest, conflict, notFound, type AppError } from '../../shared/http/errors.js';
import { isUniqueViolation } from '../../shared/db/dialect.js';
import { priceCoupon, refusalMessage, type CouponRefusal } from './coupon-pricing.js';
import { normaliseCode, toCoupon, toTerms } from './coupon.mapper.js';
import type { CouponsDeps } from './coupons.deps.js';
import * as repo from './coupons.repository.js';
import type { Coupon, CreateCouponInput, UpdateCouponInput } from './coupons.schemas.js';
import type { CouponsTable } from './coupons.tables.js';

const MAX_PERCENT_HUNDREDTHS = 100_00;

type Terms = Pick<
  Insertable<CouponsTable>,
  'discount_type' | 'discount_value' | 'max_discount' | 'starts_at' | 'ends_at'
>;

/** Rules that span fields (zod checks each field alone). */
function checkTerms(terms: Terms): void {
  if (terms.discount_type === 'percent' && terms.discount_value > MAX_PERCENT_HUNDREDTHS) {
    throw badRequest(
      'discountAmount is a percentage for a percent coupon and must be at most 100.',
      'discountAmount',
    );
  }
  if (terms.starts_at && terms.ends_at && terms.ends_at.getTime() <= terms.starts_at.getTime()) {
    throw badRequest('endsAt must be later than startsAt.', 'endsAt');
  }
}

function duplicateCode(code: string): AppError {
  return conflict(`A coupon with the code ${code} already exists.`, 'couponCode');
}

export async function createCoupon(deps: CouponsDeps, input: CreateCouponInput): Promise<Coupon> {
  const now = deps.clock.now();
  const values: Insertable<CouponsTable> = {
    code: input.couponCode,
    discount_type: input.discountType,
    discount_value: input.discountAmount,
    min_amount: input.minAmount ?? 0,
    max_discount: input.maxDiscount ?? null,
    starts_at: input.startsAt ?? null,
    ends_at: input.endsAt ?? null,
    usage_limit: input.usageLimit ?? null,
    per_customer_limit: input.perCustomerLimit ?? null,
    is_active: input.active ?? true,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  checkTerms(values);
  let id: number;
  try {
    id = await repo.insertCoupon(deps.db, values);
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateCode(values.code);
    throw error;
  }
  return getCoupon(deps, id);
}

/** PUT: fields left out keep their value; `null` (or '') clears an optional one. */
export async function updateCoupon(deps: CouponsDeps, input: UpdateCouponInput): Promise<Coupon> {
  const current = await repo.findCouponById(deps.db, input.couponId);
  if (!current) throw notFound(`Coupon ${input.couponId} does not exist.`);
  const keep = <T>(given: T | undefined, existing: T): T => (given === undefined ? existing : given);
  const changes = {
    code: keep(input.couponCode, current.code),
    discount_type: keep(input.discountType, current.discount_type),
    discount_value: keep(input.discountAmount, current.discount_value),
    min_amount: keep(input.minAmount, current.min_amount),
    max_discount: keep(input.maxDiscount, current.max_discount),
    starts_at: keep(input.startsAt, current.starts_at),
    ends_at: keep(input.endsAt, current.ends_at),
    usage_limit: keep(input.usageLimit, current.usage_limit),
    per_customer_limit: keep(input.perCustomerLimit, current.per_customer_limit),
    is_active: keep(input.active, current.is_active),
    updated_at: deps.clock.now(),
  };
  checkTerms(changes);
  try {
    if (!(await repo.updateCoupon(deps.db, input.couponId, changes))) {
      throw notFound(`Coupon ${input.couponId} does not exist.`);
    }
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateCode(changes.code);
    throw error;
  }
  return getCoupon(deps, input.couponId);
}

/**
 * Deletes a coupon no order ever redeemed; one that orders redeemed is soft-deleted instead (hidden,
 * no longer applies, its code free for a new coupon), because past orders and their redemptions
 * refer to it. Returns which of the two happened.
 */
export async function deleteCoupon(deps: CouponsDeps, id: number): Promise<'deleted' | 'archived'> {
  if (await repo.deleteCouponIfNeverRedeemed(deps.db, id)) return 'deleted';
  if (await repo.softDeleteCoupon(deps.db, id, deps.clock.now())) return 'archived';
  throw notFound(`Coupon ${id} does not exist.`);
}

export async function getCoupon(deps: CouponsDeps, id: number): Promise<Coupon> {
  const row = await repo.findCouponById(deps.db, id);
  if (!row) throw notFound(`Coupon ${id} does not exist.`);
  return toCoupon(row);
}

export async function listCoupons(
  deps: CouponsDeps,
  page: { pageIndex: number; pageSize: number },
): Promise<Coupon[]> {
  const rows = await repo.listCoupons(deps.db, {
    offset: (page.pageIndex - 1) * page.pageSize,
    limit: page.pageSize,
  });
  return rows.map(toCoupon);
}

/**
 * A shopper's look-up by code, ignoring case. Deactivated coupons, and other customers' personal
 * coupons, are not shown to shoppers.
 */
export async function getCouponByCode(
  deps: CouponsDeps,
  code: string,
  caller: { userId: string; isAdmin: boolean },
): Promise<Coupon> {
  const normalised = normaliseCode(code);
  const row = normalised === '' ? undefined : await repo.findCouponByCode(deps.db, normalised);
  const hidden = row?.owner_user_id != null && row.owner_user_id !== caller.userId && !caller.isAdmin;
  if (!row || !row.is_active || hidden)
    throw notFound(`There is no coupon with the code ${normalised || '(empty)'}.`);
  return toCoupon(row);
}

export interface CouponQuote {
  /** Normalised code. */
  couponCode: string;
  applies: boolean;
  discountMinor: number;
  reason: CouponRefusal | 'not_found' | null;
  /** Why it does not apply, for the shopper; '' when it applies. */
  message: string;
}

/** Prices a coupon by code for a customer's amount now, with the customer's own usage. */
export async function quoteCoupon(
  deps: CouponsDeps,
  input: { couponCode: string; amountMinor: number; userId: string },
): Promise<CouponQuote> {
  const couponCode = normaliseCode(input.couponCode);
  const row = couponCode === '' ? undefined : await repo.findCouponByCode(deps.db, couponCode);
  if (!row) {
    return {
      couponCode,
      applies: false,
      discountMinor: 0,
      reason: 'not_found',
      message: `Coupon ${couponCode} does not exist.`,
    };
  }
  const terms = toTerms(row);
  const uses = await repo.findCustomerUses(deps.db, row.id, input.userId);
  const price = priceCoupon(terms, input.amountMinor, uses, deps.clock.now(), input.userId);
  return {
    couponCode,
    ...price,
    message: price.reason === null ? '' : refusalMessage(couponCode, price.reason, terms, input.amountMinor),
  };
}
