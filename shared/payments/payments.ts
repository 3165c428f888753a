/**
 * The payments port. Azure: Stripe (stripe-payments.ts, the `stripe` SDK: Checkout Sessions,
 * refunds, signed webhooks). Embedded: a local stand-in for Stripe Checkout (local-payments.ts)
 * whose checkout page is served by the local host and whose webhooks are real Stripe-format events,
 * signed with the local webhook secret and checked by the same code as Stripe's.
 *
 * Amounts are integer minor units; currencies are ISO 4217 codes in upper case (Stripe's lower case
 * stays inside the adapter). Both adapters pass payments.contract.test.ts.
 */

export interface CheckoutLine {
  name: string;
  /** Absolute URL of a product photo, or '' (Stripe only shows https images). */
  imageUrl: string;
  unitAmountMinor: number;
  quantity: number;
}

export interface CheckoutRequest {
  orderId: number;
  currency: string;
  lines: CheckoutLine[];
  /** Taken off the whole order as a one-off fixed amount (never a percentage), so totals match to the cent. 0 for none. */
  discountMinor: number;
  /** Shown beside the discount, e.g. `Coupon SAVE10`. */
  discountLabel: string;
  /** Prefills the payment page; '' for none. */
  customerEmail: string;
  successUrl: string;
  cancelUrl: string;
  /** Between 30 minutes and 24 hours from now (Stripe's limits). */
  expiresAt: Date;
}

export type CheckoutStatus = 'open' | 'complete' | 'expired';
export type CheckoutPaymentStatus = 'paid' | 'unpaid' | 'no_payment_required';

export interface CheckoutSession {
  id: string;
  /** Where to send the shopper to pay; null once the session is complete or expired. */
  url: string | null;
  status: CheckoutStatus;
  paymentStatus: CheckoutPaymentStatus;
  /** Set once the shopper has paid (or started an asynchronous payment). */
  paymentIntentId: string | null;
  amountTotalMinor: number;
  currency: string;
  /** From the session's metadata / client_reference_id; null when the session is not one of ours. */
  orderId: number | null;
  expiresAt: Date;
}

export type RefundReason = 'requested_by_customer' | 'duplicate';

export interface RefundRequest {
  paymentIntentId: string;
  amountMinor: number;
  orderId: number;
  /** The shop's own refund record: written into the refund's metadata, so its events find it. */
  requestId: number;
  reason: RefundReason;
}

export type RefundStatus = 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';

export interface Refund {
  id: string;
  status: RefundStatus;
  amountMinor: number;
  currency: string;
  paymentIntentId: string | null;
  /** From the refund's metadata; null when the refund was not made by us (e.g. in the Stripe dashboard). */
  orderId: number | null;
  /** The shop's refund record (metadata); null for a refund made elsewhere (the Stripe dashboard). */
  requestId: number | null;
  /** Why it failed, when it did. */
  failureReason: string | null;
}

export type CheckoutEventType =
  | 'checkout.session.completed'
  | 'checkout.session.async_payment_succeeded'
  | 'checkout.session.async_payment_failed'
  | 'checkout.session.expired';

export type RefundEventType = 'refund.created' | 'refund.updated' | 'refund.failed';

/** A verified webhook event, reduced to what the shop acts on. Unknown types come back as `other`. */
export type PaymentEvent =
  | { id: string; type: CheckoutEventType; session: CheckoutSession }
  | { id: string; type: RefundEventType; refund: Refund }
  | {
      id: string;
      type: 'payment_intent.payment_failed';
      paymentIntentId: string;
      orderId: number | null;
      message: string;
    }
  | { id: string; type: 'other'; stripeType: string };

/** The signature header is missing, malformed, stale or wrong; or the body is not a Stripe event. */
export class WebhookSignatureError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WebhookSignatureError';
  }
}

/**
 * An idempotency key was used again with a different request (Stripe's `idempotency_error`): a caller
 * that means a new request must use a new key.
 */
export class IdempotencyKeyReusedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IdempotencyKeyReusedError';
  }
}

export interface PaymentProvider {
  readonly kind: 'stripe' | 'embedded';
  /**
   * Creates a Checkout Session (mode payment). The same idempotency key with the same request
   * returns the same session, so callers racing for one order get one session. Like Stripe, a
   * repeated key replays the first answer (the session as it was created: retrieve it for its
   * current state); the same key with a different request throws IdempotencyKeyReusedError.
   * A total above 0 but below the currency's minimum charge (minimums.ts) is refused, as Stripe does.
   */
  createCheckoutSession(request: CheckoutRequest, idempotencyKey: string): Promise<CheckoutSession>;
  retrieveCheckoutSession(sessionId: string): Promise<CheckoutSession>;
  /** Expires an open session; a session already complete or expired comes back as it is. */
  expireCheckoutSession(sessionId: string): Promise<CheckoutSession>;
  /**
   * Refunds (part of) a payment. The same idempotency key never refunds twice (it replays the first
   * answer; a different request under it throws IdempotencyKeyReusedError).
   */
  refund(request: RefundRequest, idempotencyKey: string): Promise<Refund>;
  /**
   * Verifies the `Stripe-Signature` header over the raw bytes (with the configured secret and
   * tolerance) and parses the event. Throws WebhookSignatureError when it cannot be trusted.
   */
  parseWebhook(rawBody: Buffer, signatureHeader: string | undefined): Promise<PaymentEvent>;
  close(): Promise<void>;
}
