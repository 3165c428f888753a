/**
 * The smallest amount Stripe charges per presentment currency, in the currency's smallest unit as
 * Stripe counts it, from Stripe's "Minimum and maximum charge amounts" table
 * (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts). Stripe refuses a Checkout
 * Session whose total is above 0 but below it; both payment adapters refuse it the same way, so the
 * orders domain can check first and answer the shopper clearly.
 *
 * Stripe's table is in the settlement currency's terms and changes rarely; a currency missing here
 * gets 50, the most common value (the US$0.50 equivalent the docs state as the general rule).
 *
 * Units: the project's money module (shared/money.ts) assumes 2 minor digits for every currency.
 * For those currencies the figures below are the same minor units. JPY is zero-decimal at Stripe
 * (50 means ¥50), so a shop in JPY needs the money module taught about zero-decimal currencies first.
 */
const minimums: Readonly<Record<string, number>> = {
  USD: 50,
  AED: 200,
  AUD: 50,
  BGN: 100,
  BRL: 50,
  CAD: 50,
  CHF: 50,
  CZK: 1500,
  DKK: 250,
  EUR: 50,
  GBP: 30,
  HKD: 400,
  HUF: 17500,
  INR: 50,
  JPY: 50,
  MXN: 1000,
  MYR: 200,
  NOK: 300,
  NZD: 50,
  PLN: 200,
  RON: 200,
  SEK: 300,
  SGD: 50,
  THB: 1000,
};

export const DEFAULT_MINIMUM_CHARGE_MINOR = 50;

/** Stripe's minimum charge for an ISO 4217 currency (either case), in Stripe's smallest unit. */
export function minimumChargeMinor(currency: string): number {
  return minimums[currency.toUpperCase()] ?? DEFAULT_MINIMUM_CHARGE_MINOR;
}

/**
 * Stripe's largest charge: eight digits in the currency's smallest unit (99,999,999, so 999,999.99
 * AUD or USD) for most currencies. An order above it could never be paid.
 */
export const MAXIMUM_CHARGE_MINOR = 99_999_999;
