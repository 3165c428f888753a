import type Stripe from 'stripe';
import { z } from 'zod';
import { belowMinimumProblem, discountApplied, expiryProblem } from '../payments/checkout-rules.js';
import {
  stripeCheckoutSession,
  stripeId,
  stripeRefund,
  unixSeconds,
  type RefundFacts,
  type SessionFacts,
} from '../payments/stripe-shapes.js';
import type { Clock } from '../time/clock.js';
import type { FormValue } from './stripe-form.js';

/** An error answered in Stripe's format: `{ error: { type, message, code?, param? } }`. */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { type: string; message: string; code?: string; param?: string },
  ) {
    super(body.message);
  }
}

const invalid = (message: string, extra: { code?: string; param?: string } = {}, status = 400) =>
  new StripeApiError(status, { type: 'invalid_request_error', message, ...extra });

const missing = (kind: string, id: string, param: string) =>
  invalid(`No such ${kind}: '${id}'`, { code: 'resource_missing', param }, 404);

// Form values are strings; these read them the way Stripe does.
const integer = z
  .string()
  .regex(/^-?\d+$/, 'Invalid integer')
  .transform(Number);
const nonNegative = integer.pipe(z.number().int().min(0));
const metadata = z.record(z.string(), z.string());

const couponForm = z.strictObject({
  amount_off: nonNegative.optional(),
  percent_off: z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .optional(),
  currency: z
    .string()
    .regex(/^[a-z]{3}$/, 'Invalid currency')
    .optional(),
  duration: z.enum(['once', 'repeating', 'forever']).optional(),
  duration_in_months: nonNegative.optional(),
  max_redemptions: integer.pipe(z.number().int().min(1)).optional(),
  name: z.string().max(40, 'Coupon names must be at most 40 characters').optional(),
  id: z.string().optional(),
  metadata: metadata.optional(),
});

const sessionForm = z.strictObject({
  mode: z.literal('payment', 'The double supports mode=payment only'),
  currency: z
    .string()
    .regex(/^[a-z]{3}$/, 'Invalid currency')
    .optional(),
  line_items: z
    .array(
      z.strictObject({
        quantity: integer.pipe(z.number().int().min(1)),
        price_data: z.strictObject({
          currency: z.string().regex(/^[a-z]{3}$/, 'Invalid currency'),
          unit_amount: nonNegative,
          product_data: z.strictObject({
            name: z.string().min(1),
            images: z.array(z.string().startsWith('https://', 'Images must be https URLs')).max(8).optional(),
          }),
        }),
      }),
    )
    .min(1),
  discounts: z
    .array(z.strictObject({ coupon: z.string() }))
    .max(1)
    .optional(),
  client_reference_id: z.string().max(200).optional(),
  metadata: metadata.optional(),
  payment_intent_data: z.strictObject({ metadata: metadata.optional() }).optional(),
  expires_at: integer.optional(),
  success_url: z.string().min(1),
  cancel_url: z.string().optional(),
  customer_email: z.email().optional(),
});

const refundForm = z.strictObject({
  payment_intent: z.string(),
  amount: integer.pipe(z.number().int().min(1)).optional(),
  reason: z.enum(['duplicate', 'fraudulent', 'requested_by_customer']).optional(),
  metadata: metadata.optional(),
});

interface SessionRecord {
  facts: SessionFacts;
  paymentIntentMetadata: Record<string, string>;
}

interface PaymentIntentRecord {
  id: string;
  charge: string;
  sessionId: string;
  amount: number;
  currency: string;
  refunded: number;
}

/**
 * What the Stripe double knows: coupons, Checkout Sessions, payment intents and refunds, with the
 * rules Stripe applies to the requests our adapter makes. Pure state; stripe-double.ts serves it.
 */
export class StripeDoubleState {
  readonly coupons = new Map<string, Stripe.Coupon>();
  readonly #sessions = new Map<string, SessionRecord>();
  readonly #intents = new Map<string, PaymentIntentRecord>();
  readonly #refunds = new Map<string, RefundFacts>();
  /** What a new refund answers: card refunds succeed at once; some methods answer `pending`. */
  refundStatusOnCreate: 'succeeded' | 'pending' = 'succeeded';

  constructor(private readonly clock: Clock) {}

  get #now(): number {
    return unixSeconds(this.clock.now());
  }

  createCoupon(body: Record<string, FormValue>): Stripe.Coupon {
    const form = parseForm(couponForm, body);
    if ((form.amount_off === undefined) === (form.percent_off === undefined))
      throw invalid('You must pass exactly one of amount_off or percent_off.', { param: 'amount_off' });
    if (form.amount_off !== undefined && !form.currency)
      throw invalid('You must pass currency when passing amount_off.', { param: 'currency' });
    const coupon: Stripe.Coupon = {
      id: form.id ?? stripeId('', 8),
      object: 'coupon',
      amount_off: form.amount_off ?? null,
      created: this.#now,
      currency: form.currency ?? null,
      duration: form.duration ?? 'once',
      duration_in_months: form.duration_in_months ?? null,
      livemode: false,
      max_redemptions: form.max_redemptions ?? null,
      metadata: form.metadata ?? {},
      name: form.name ?? null,
      percent_off: form.percent_off === undefined ? null : Number(form.percent_off),
      redeem_by: null,
      times_redeemed: 0,
      valid: true,
    };
    this.coupons.set(coupon.id, coupon);
    return coupon;
  }

  createSession(body: Record<string, FormValue>): Stripe.Checkout.Session {
    const form = parseForm(sessionForm, body);
    const currency = form.currency ?? form.line_items[0]?.price_data.currency ?? '';
    if (form.line_items.some((l) => l.price_data.currency !== currency))
      throw invalid('All line items must use the session currency.', { param: 'line_items' });
    const subtotal = form.line_items.reduce((sum, l) => sum + l.quantity * l.price_data.unit_amount, 0);
    const couponId = form.discounts?.[0]?.coupon ?? null;
    let amountOff = 0;
    if (couponId) {
      const coupon = this.coupons.get(couponId);
      if (!coupon) throw missing('coupon', couponId, 'discounts[0][coupon]');
      if (!coupon.valid) throw invalid(`Coupon ${couponId} is no longer valid.`, { param: 'discounts' });
      if (coupon.amount_off !== null && coupon.currency !== currency)
        throw invalid(`Coupon ${couponId} is in ${coupon.currency}, not ${currency}.`, {
          param: 'discounts',
        });
      amountOff = coupon.amount_off ?? Math.round((subtotal * (coupon.percent_off ?? 0)) / 100);
    }
    const discount = discountApplied(subtotal, amountOff);
    const tooSmall = belowMinimumProblem(subtotal - discount, currency);
    if (tooSmall) throw invalid(tooSmall, { param: 'line_items' });
    const now = this.#now;
    const expiresAt = form.expires_at ?? now + 24 * 60 * 60;
    const expiry = expiryProblem(expiresAt, now);
    if (expiry) throw invalid(expiry, { param: 'expires_at' });

    const id = stripeId('cs_test_', 58);
    const record: SessionRecord = {
      facts: {
        id,
        created: now,
        expiresAt,
        currency,
        amountSubtotal: subtotal,
        amountDiscount: discount,
        couponId,
        clientReferenceId: form.client_reference_id ?? null,
        customerEmail: form.customer_email ?? null,
        metadata: form.metadata ?? {},
        successUrl: form.success_url,
        cancelUrl: form.cancel_url ?? null,
        status: 'open',
        paymentStatus: 'unpaid',
        paymentIntent: null,
        url: `https://checkout.stripe.com/c/pay/${id}`,
      },
      paymentIntentMetadata: form.payment_intent_data?.metadata ?? {},
    };
    this.#sessions.set(id, record);
    return stripeCheckoutSession(record.facts);
  }

  /** The session as Stripe would answer it now (an open session past its expiry has expired). */
  session(id: string): Stripe.Checkout.Session {
    return stripeCheckoutSession(this.#record(id).facts);
  }

  expireSession(id: string): Stripe.Checkout.Session {
    const { facts } = this.#record(id);
    if (facts.status !== 'open')
      throw invalid(
        `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${facts.status}".`,
      );
    Object.assign(facts, { status: 'expired', url: null });
    return stripeCheckoutSession(facts);
  }

  /** The shopper paid (`paid`), or started a delayed payment such as a bank debit (`unpaid`). */
  completeSession(id: string, paymentStatus: 'paid' | 'unpaid'): Stripe.Checkout.Session {
    const { facts } = this.#record(id);
    if (facts.status !== 'open')
      throw new Error(`session ${id} is ${facts.status}; only an open session can be completed`);
    const amount = facts.amountSubtotal - facts.amountDiscount;
    let paymentIntent: string | null = null;
    if (amount > 0) {
      paymentIntent = stripeId('pi_');
      this.#intents.set(paymentIntent, {
        id: paymentIntent,
        charge: stripeId('ch_'),
        sessionId: id,
        amount,
        currency: facts.currency,
        refunded: 0,
      });
    }
    Object.assign(facts, {
      status: 'complete',
      url: null,
      paymentIntent,
      paymentStatus: amount === 0 ? 'no_payment_required' : paymentStatus,
    });
    const coupon = facts.couponId ? this.coupons.get(facts.couponId) : undefined;
    if (coupon) {
      coupon.times_redeemed += 1;
      coupon.valid = coupon.max_redemptions === null || coupon.times_redeemed < coupon.max_redemptions;
    }
    return stripeCheckoutSession(facts);
  }

  /** A delayed payment of a completed session settled (`succeeded`) or bounced (`failed`). */
  settleAsyncPayment(id: string, outcome: 'succeeded' | 'failed'): Stripe.Checkout.Session {
    const { facts } = this.#record(id);
    if (facts.status !== 'complete' || facts.paymentStatus !== 'unpaid')
      throw new Error(`session ${id} has no delayed payment in progress`);
    if (outcome === 'succeeded') facts.paymentStatus = 'paid';
    return stripeCheckoutSession(facts);
  }

  paymentIntentMetadata(sessionId: string): Record<string, string> {
    return this.#record(sessionId).paymentIntentMetadata;
  }

  createRefund(body: Record<string, FormValue>): Stripe.Refund {
    const form = parseForm(refundForm, body);
    const intent = this.#intents.get(form.payment_intent);
    if (!intent) throw missing('payment_intent', form.payment_intent, 'payment_intent');
    if (this.#record(intent.sessionId).facts.paymentStatus !== 'paid')
      throw invalid(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, {
        param: 'payment_intent',
      });
    const remaining = intent.amount - intent.refunded;
    if (remaining === 0)
      throw invalid(`Charge ${intent.charge} has already been refunded.`, {
        code: 'charge_already_refunded',
      });
    const amount = form.amount ?? remaining;
    if (amount > remaining)
      throw invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`, {
        param: 'amount',
      });
    intent.refunded += amount;
    const facts: RefundFacts = {
      id: stripeId('re_'),
      created: this.#now,
      amount,
      currency: intent.currency,
      paymentIntent: intent.id,
      charge: intent.charge,
      metadata: form.metadata ?? {},
      reason: form.reason ?? null,
      status: this.refundStatusOnCreate,
    };
    this.#refunds.set(facts.id, facts);
    return stripeRefund(facts);
  }

  refund(id: string): Stripe.Refund {
    return stripeRefund(this.#refundFacts(id));
  }

  /** Moves a refund on (a card refund can still fail after it succeeded, e.g. a closed account). */
  updateRefund(id: string, status: RefundFacts['status'], failureReason?: string): Stripe.Refund {
    const facts = this.#refundFacts(id);
    const intent = this.#intents.get(facts.paymentIntent);
    if (intent && (status === 'failed' || status === 'canceled') && facts.status !== status)
      intent.refunded -= facts.amount;
    facts.status = status;
    if (status === 'failed') facts.failureReason = failureReason ?? 'expired_or_canceled_card';
    return stripeRefund(facts);
  }

  #record(id: string): SessionRecord {
    const record = this.#sessions.get(id);
    if (!record) throw missing('checkout.session', id, 'session');
    // Stripe expires open sessions on its own once their time is up.
    if (record.facts.status === 'open' && this.#now >= record.facts.expiresAt)
      Object.assign(record.facts, { status: 'expired', url: null });
    return record;
  }

  #refundFacts(id: string): RefundFacts {
    const facts = this.#refunds.get(id);
    if (!facts) throw missing('refund', id, 'refund');
    return facts;
  }
}

/** Parses a form body with a schema, answering Stripe's error for the first problem. */
function parseForm<T>(schema: z.ZodType<T>, body: Record<string, FormValue>): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = formKey(issue?.path ?? []);
  if (issue?.code === 'unrecognized_keys')
    throw invalid(`Received unknown parameter: ${formKey([...issue.path, issue.keys[0] ?? ''])}`, {
      param: formKey([...issue.path, issue.keys[0] ?? '']),
    });
  throw invalid(`Invalid ${param || 'request'}: ${issue?.message ?? 'malformed'}`, { param });
}

/** ['line_items', 0, 'quantity'] -> `line_items[0][quantity]`, the way Stripe names a parameter. */
function formKey(path: PropertyKey[]): string {
  const [first, ...rest] = path.map(String);
  return first === undefined ? '' : first + rest.map((p) => `[${p}]`).join('');
}
