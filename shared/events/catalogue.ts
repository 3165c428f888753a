import { z } from 'zod';
import { defineEvent } from './define.js';

/**
 * Every integration event, in one place. Producers and consumers import these definitions; the
 * payload schema is the contract between domains. Add new events here, past tense.
 */
export const UserRegistered = defineEvent({
  name: 'UserRegistered',
  topic: 'auth',
  version: 1,
  schema: z.object({ userId: z.string(), email: z.string(), name: z.string() }),
});

export const PasswordChanged = defineEvent({
  name: 'PasswordChanged',
  topic: 'auth',
  version: 1,
  schema: z.object({ userId: z.string(), email: z.string(), reason: z.enum(['changed', 'reset']) }),
});

/** An ADMIN changed a product's price (amounts in minor units). Carts and orders price on read; this lets them react. */
export const ProductPriceChanged = defineEvent({
  name: 'ProductPriceChanged',
  topic: 'catalog',
  version: 1,
  schema: z.object({
    productId: z.number().int().positive(),
    previousPriceMinor: z.number().int().nonnegative(),
    priceMinor: z.number().int().nonnegative(),
    priceBeforeDiscountMinor: z.number().int().nonnegative(),
  }),
});

export const CartEmailRequested = defineEvent({
  name: 'CartEmailRequested',
  topic: 'cart',
  version: 1,
  schema: z.object({
    userId: z.string(),
    /** The owner's address from their token; '' when an ADMIN asked for someone else's cart (look it up by userId). */
    email: z.string(),
    cartHeaderId: z.number().int(),
    /** '' when no coupon is applied, or it no longer applies. */
    couponCode: z.string(),
    currency: z.string(),
    subtotalMinor: z.number().int(),
    discountMinor: z.number().int(),
    totalMinor: z.number().int(),
    lines: z.array(
      z.object({
        productId: z.number().int(),
        name: z.string(),
        imageUrl: z.string(),
        count: z.number().int(),
        unitPriceMinor: z.number().int(),
        lineTotalMinor: z.number().int(),
      }),
    ),
  }),
});

export const catalogue = [UserRegistered, PasswordChanged, ProductPriceChanged, CartEmailRequested] as const;
