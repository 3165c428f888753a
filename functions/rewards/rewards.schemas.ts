import { z } from 'zod';
import { intQuery } from '../../shared/http/fields.js';
import { couponSchema } from '../coupons/coupons.client.js';

export const rewardsParams = z.object({
  userId: z.string().trim().min(1, 'userId is required').max(64, 'userId is too long'),
});

export const rewardsQuery = z.object({
  pageIndex: intQuery('pageIndex', 1, 1, 100_000),
  pageSize: intQuery('pageSize', 100, 1, 500),
});

/** POST redeem: `{ points }`, a whole number of points to turn into a coupon. */
export const redeemBody = z.object(
  {
    points: z
      .number({ message: 'points must be a number' })
      .int('points must be a whole number')
      .min(1, 'points must be at least 1')
      .max(10_000_000, 'points must be at most 10,000,000'),
  },
  { message: 'The body must be { points }' },
);

export const entrySchema = z.object({
  /** The order it is about, or null (a redemption). */
  orderId: z.number().int().nullable(),
  /** Signed: what it added to (+) or took from (-) the customer's points. */
  points: z.number().int(),
  type: z.enum(['earned', 'reversed', 'redeemed', 'returned']),
  createdAt: z.string(),
  // (new) beyond the contract's fields
  redemptionId: z.number().int().nullable(),
  /** Points a reversal could not take from the balance and recorded as owed (or settled, negative). */
  owedChange: z.number().int(),
  balanceAfter: z.number().int(),
});

export const rewardsSchema = z.object({
  balance: z.number().int(),
  /** Points taken back that the balance could not cover; settled from the next points earned. */
  owed: z.number().int(),
  entries: z.array(entrySchema),
});
export type RewardsDto = z.infer<typeof rewardsSchema>;

export const redemptionSchema = couponSchema.extend({
  /** The points spent on it, and the balance left. */
  points: z.number().int(),
  balance: z.number().int(),
});
export type RedemptionDto = z.infer<typeof redemptionSchema>;
