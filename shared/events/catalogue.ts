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

const orderLine = z.object({
  productId: z.number().int().positive(),
  name: z.string(),
  /** Absolute URL of the product's first photo when the order was placed. */
  imageUrl: z.string(),
  count: z.number().int().positive(),
  unitPriceMinor: z.number().int().nonnegative(),
  lineTotalMinor: z.number().int().nonnegative(),
});

/** Who the order is for, as printed on it (from the auth domain when it was placed). */
const orderCustomer = {
  orderId: z.number().int().positive(),
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  currency: z.string().length(3),
};

/** What was bought and what it came to. */
const orderContents = {
  ...orderCustomer,
  lines: z.array(orderLine).min(1),
  subtotalMinor: z.number().int().nonnegative(),
  discountMinor: z.number().int().nonnegative(),
  totalMinor: z.number().int().nonnegative(),
  /** '' when no coupon was used. */
  couponCode: z.string(),
};

/** An order was placed: its stock and coupon use are reserved until it is paid or cancelled. */
export const OrderCreated = defineEvent({
  name: 'OrderCreated',
  topic: 'orders',
  version: 1,
  schema: z.object({
    ...orderContents,
    /** When the order's stock is given back unless it is paid (ISO instant). */
    expiresAt: z.string(),
  }),
});

/** An order was paid (once per order, ever): stock and coupon use become final, rewards and emails follow. */
export const OrderPaid = defineEvent({
  name: 'OrderPaid',
  topic: 'orders',
  version: 1,
  schema: z.object({
    ...orderContents,
    /** '' for an order that needed no payment (a zero total). */
    paymentIntentId: z.string(),
    paidAt: z.string(),
  }),
});

/** An order was cancelled: its reserved (or, when it was paid, committed) stock and coupon use go back. */
export const OrderCancelled = defineEvent({
  name: 'OrderCancelled',
  topic: 'orders',
  version: 1,
  schema: z.object({
    ...orderCustomer,
    totalMinor: z.number().int().nonnegative(),
    /** True when it had been paid: a refund follows (OrderRefunded once Stripe confirms it). */
    wasPaid: z.boolean(),
    reason: z.enum(['customer', 'admin', 'payment_expired', 'payment_failed']),
    lines: z.array(z.object({ productId: z.number().int().positive(), count: z.number().int().positive() })),
  }),
});

/** Stripe confirmed the refund of a cancelled order's payment. */
export const OrderRefunded = defineEvent({
  name: 'OrderRefunded',
  topic: 'orders',
  version: 1,
  schema: z.object({
    ...orderCustomer,
    amountMinor: z.number().int().nonnegative(),
    refundId: z.string(),
  }),
});

/**
 * Internal to orders: sent when an order is placed, scheduled for the end of its payment window
 * (plus a grace period). If the order is still unpaid then, it is expired and its stock released.
 */
export const OrderPaymentWindowEnded = defineEvent({
  name: 'OrderPaymentWindowEnded',
  topic: 'orders',
  version: 1,
  schema: z.object({ orderId: z.number().int().positive() }),
});

/** Internal to orders: a payment must be refunded (a cancelled paid order, or a payment that came too late or twice). */
export const OrderRefundRequested = defineEvent({
  name: 'OrderRefundRequested',
  topic: 'orders',
  version: 1,
  schema: z.object({
    orderId: z.number().int().positive(),
    /** The orders domain's refund row: its id keys the request to Stripe, so a retry never refunds twice. */
    refundRequestId: z.number().int().positive(),
    paymentIntentId: z.string().min(1),
    amountMinor: z.number().int().positive(),
    currency: z.string().length(3),
    reason: z.enum(['requested_by_customer', 'duplicate']),
    /** Unique to this request ever (not only in this database), so a reset shop never collides at Stripe. */
    idempotencyKey: z.string().min(1).max(255),
  }),
});

/**
 * Someone asked to reset a password: the email domain sends the link. The token is the one-time
 * secret of the link (stored only hashed by auth); it lives in this message for its short life.
 */
export const PasswordResetRequested = defineEvent({
  name: 'PasswordResetRequested',
  topic: 'auth',
  version: 1,
  // The token is the reset link's secret: only the email consumer reads it (redaction.ts).
  secrets: ['token'],
  schema: z.object({
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    token: z.string(),
    /** ISO instant after which the link no longer works. */
    expiresAt: z.string(),
  }),
});

const rewardHolder = {
  userId: z.string(),
  /** Where the customer is told (from the order or the token); '' when unknown. */
  email: z.string(),
  name: z.string(),
  /** The balance after this entry. */
  balance: z.number().int().nonnegative(),
};

/** Points were granted for a paid order. */
export const RewardGranted = defineEvent({
  name: 'RewardGranted',
  topic: 'rewards',
  version: 1,
  schema: z.object({
    ...rewardHolder,
    orderId: z.number().int().positive(),
    points: z.number().int().positive(),
    /** Of those, the points that paid off an earlier reversal's debt instead of the balance. */
    settledOwed: z.number().int().nonnegative(),
  }),
});

/** Points of an order that was refunded (or cancelled after payment) were taken back. */
export const RewardReversed = defineEvent({
  name: 'RewardReversed',
  topic: 'rewards',
  version: 1,
  schema: z.object({
    ...rewardHolder,
    orderId: z.number().int().positive(),
    points: z.number().int().positive(),
    /** What the balance could not cover, recorded as owed (taken from later grants). */
    owed: z.number().int().nonnegative(),
  }),
});

/** Points were turned into a single-use personal coupon. */
export const RewardRedeemed = defineEvent({
  name: 'RewardRedeemed',
  topic: 'rewards',
  version: 1,
  schema: z.object({
    ...rewardHolder,
    redemptionId: z.number().int().positive(),
    points: z.number().int().positive(),
    couponCode: z.string(),
    amountMinor: z.number().int().positive(),
    currency: z.string().length(3),
    expiresAt: z.string(),
  }),
});

/**
 * Internal to rewards: sent when points are reserved for a coupon, scheduled a little later. If the
 * redemption is still unfinished then (a crash between its steps), it is finished or given back.
 */
export const RewardRedemptionDue = defineEvent({
  name: 'RewardRedemptionDue',
  topic: 'rewards',
  version: 1,
  schema: z.object({ redemptionId: z.number().int().positive() }),
});

export const catalogue = [
  UserRegistered,
  PasswordChanged,
  ProductPriceChanged,
  CartEmailRequested,
  OrderCreated,
  OrderPaid,
  OrderCancelled,
  OrderRefunded,
  OrderPaymentWindowEnded,
  OrderRefundRequested,
  PasswordResetRequested,
  RewardGranted,
  RewardReversed,
  RewardRedeemed,
  RewardRedemptionDue,
] as const;
