import { z } from 'zod';
import { id, intQuery } from '../../shared/http/fields.js';
import { moneyInput } from '../../shared/money.js';

export const DISCOUNT_TYPES = ['fixed', 'percent'] as const;

/** A coupon code as typed: letters, digits, '-' and '_'; normalised to upper case. */
export const couponCodeInput = z
  .string({ message: 'couponCode must be text' })
  .trim()
  .min(1, 'couponCode is required')
  .max(30, 'couponCode must have at most 30 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'couponCode may contain only letters, digits, - and _')
  .transform((code) => code.toUpperCase());

/** `''` and `null` clear an optional field (admin forms send empty inputs as ''). */
const clearable = <T extends z.ZodType>(schema: T) =>
  z.union([z.literal('').transform(() => null), z.null(), schema]).optional();

/** Coupon windows are stored as datetime2 (years 1 to 9999 in UTC); a shop has no use beyond 2000..9999. */
const instant = (label: string) =>
  z.iso
    .datetime({
      offset: true,
      message: `${label} must be an ISO date-time with a zone, like 2026-12-01T00:00:00Z`,
    })
    .transform((value, ctx) => {
      const date = new Date(value);
      const year = date.getUTCFullYear();
      if (Number.isNaN(date.getTime()) || year < 2000 || year > 9999) {
        ctx.addIssue({ code: 'custom', message: `${label} must be between the years 2000 and 9999 (UTC)` });
        return z.NEVER;
      }
      return date;
    });

const limit = (label: string) =>
  z
    .number({ message: `${label} must be a whole number` })
    .int(`${label} must be a whole number`)
    .min(1, `${label} must be at least 1`)
    .max(1_000_000_000, `${label} is too large`);

const discountType = z.enum(DISCOUNT_TYPES, { message: "discountType must be 'fixed' or 'percent'" });

/**
 * The fields an ADMIN sends. `discountAmount` is money for a fixed coupon and a percentage for a
 * percent one (12.5 = 12.5%); both parse to hundredths. Omitted fields keep their value on PUT.
 */
const couponFields = {
  couponCode: couponCodeInput,
  discountType,
  discountAmount: moneyInput({ allowZero: false }),
  minAmount: moneyInput(),
  maxDiscount: clearable(moneyInput({ allowZero: false })),
  startsAt: clearable(instant('startsAt')),
  endsAt: clearable(instant('endsAt')),
  usageLimit: clearable(limit('usageLimit')),
  perCustomerLimit: clearable(limit('perCustomerLimit')),
  active: z.boolean({ message: 'active must be true or false' }),
};

export const createCouponBody = z.object({
  ...couponFields,
  discountType: couponFields.discountType.default('fixed'),
  minAmount: couponFields.minAmount.optional(),
  active: couponFields.active.optional(),
});
export type CreateCouponInput = z.infer<typeof createCouponBody>;

export const updateCouponBody = z.object({
  couponId: id('couponId'),
  couponCode: couponFields.couponCode.optional(),
  discountType: couponFields.discountType.optional(),
  discountAmount: couponFields.discountAmount.optional(),
  minAmount: couponFields.minAmount.optional(),
  maxDiscount: couponFields.maxDiscount,
  startsAt: couponFields.startsAt,
  endsAt: couponFields.endsAt,
  usageLimit: couponFields.usageLimit,
  perCustomerLimit: couponFields.perCustomerLimit,
  active: couponFields.active.optional(),
});
export type UpdateCouponInput = z.infer<typeof updateCouponBody>;

export const couponIdParams = z.object({ id: id('couponId') });

/** Any text is looked up; a code that cannot exist is simply not found. */
export const couponCodeParams = z.object({ code: z.string().max(200) });

export const listCouponsQuery = z.object({
  pageIndex: intQuery('pageIndex', 1, 1, 1_000_000),
  pageSize: intQuery('pageSize', 1000, 1, 1000),
});

export const couponSchema = z.object({
  couponId: z.number(),
  couponCode: z.string(),
  discountType: z.enum(DISCOUNT_TYPES),
  discountAmount: z.number().describe('money for a fixed coupon; the percentage for a percent coupon'),
  minAmount: z.number(),
  maxDiscount: z.number().nullable(),
  startsAt: z.string().nullable().describe('ISO instant (UTC), inclusive'),
  endsAt: z.string().nullable().describe('ISO instant (UTC), exclusive'),
  usageLimit: z.number().nullable(),
  perCustomerLimit: z.number().nullable(),
  timesUsed: z.number().describe('reserved and committed redemptions'),
  active: z.boolean(),
  ownerUserId: z
    .string()
    .nullable()
    .describe('a personal coupon’s owner, who alone may use it (null: anyone)'),
});
export type Coupon = z.infer<typeof couponSchema>;
