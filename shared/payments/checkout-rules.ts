import { minimumChargeMinor } from './minimums.js';

/**
 * What Stripe checks when a Checkout Session is created, for the two places that stand in for it
 * (the embedded adapter and the test double), so both refuse what Stripe would refuse.
 */

/** Stripe: a session expires "anywhere from 30 minutes to 24 hours after Checkout Session creation". */
export const MIN_SESSION_SECONDS = 30 * 60;
export const MAX_SESSION_SECONDS = 24 * 60 * 60;
/**
 * Stripe measures the window from when it receives the request; a request built for exactly 30
 * minutes arrives a moment later. A few seconds of slack keep such a request valid here; callers
 * that want to be safe against Stripe itself ask for a minute more than the minimum.
 */
const SLACK_SECONDS = 10;

/** Why Stripe would refuse this `expires_at` (unix seconds) at `nowSeconds`, or undefined. */
export function expiryProblem(expiresAt: number, nowSeconds: number): string | undefined {
  if (expiresAt < nowSeconds + MIN_SESSION_SECONDS - SLACK_SECONDS)
    return 'The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.';
  if (expiresAt > nowSeconds + MAX_SESSION_SECONDS)
    return 'The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.';
  return undefined;
}

/** Why Stripe would refuse a session with this total, or undefined (0 needs no payment at all). */
export function belowMinimumProblem(totalMinor: number, currency: string): string | undefined {
  const minimum = minimumChargeMinor(currency);
  if (totalMinor <= 0 || totalMinor >= minimum) return undefined;
  return `The Checkout Session's total amount due must add up to at least ${minimum} (in the smallest unit of ${currency.toLowerCase()}).`;
}

/** A fixed-amount coupon larger than the subtotal takes the subtotal off, never more. */
export const discountApplied = (subtotalMinor: number, amountOffMinor: number): number =>
  Math.min(subtotalMinor, Math.max(0, amountOffMinor));
