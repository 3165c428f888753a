import { z } from 'zod';
import type { Clock } from '../time/clock.js';
import { minutes } from '../time/clock.js';
import type { CheckoutRequest } from '../payments/payments.js';

/**
 * Test data for the payments port: a two-line order of 33.99 AUD with 5.00 off (28.99 due),
 * expiring in an hour by the given clock. Override what a test is about.
 */
export function aCheckoutRequest(clock: Clock, overrides: Partial<CheckoutRequest> = {}): CheckoutRequest {
  return {
    orderId: 42,
    currency: 'AUD',
    lines: [
      { name: 'Blue mug', imageUrl: 'https://cdn.shop.test/mug.png', unitAmountMinor: 1250, quantity: 2 },
      { name: 'Green tea', imageUrl: '', unitAmountMinor: 899, quantity: 1 },
    ],
    discountMinor: 500,
    discountLabel: 'Coupon SAVE5',
    customerEmail: 'ada@shop.test',
    successUrl: 'http://localhost:3000/?status=Approved&success=true&orderId=42',
    cancelUrl: 'http://localhost:3000/?status=Approved&canceled=true&orderId=42',
    expiresAt: new Date(clock.now().getTime() + minutes(60)),
    ...overrides,
  };
}

/** The type and object id of a Stripe event body, to find one among many deliveries. */
export const eventSummary = (payload: string) =>
  z
    .object({ type: z.string(), data: z.object({ object: z.object({ id: z.string() }) }) })
    .transform((e) => ({ type: e.type, objectId: e.data.object.id }))
    .parse(JSON.parse(payload));
