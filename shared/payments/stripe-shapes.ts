import { randomBytes } from 'node:crypto';
import type Stripe from 'stripe';

/**
 * Builders of Stripe's own JSON objects, for the two places that must speak Stripe without Stripe:
 * the embedded adapter (which stores and sends Stripe-format sessions, refunds and events) and the
 * loopback Stripe double used in tests. Each builder is typed against the SDK's types for the pinned
 * API version, so a field Stripe sends and we forget, or send in the wrong shape, fails the typecheck.
 */

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The API version of the pinned SDK. Its type is the SDK's own literal, so an SDK update that moves
 * the version fails the typecheck here (the value is written out so that building events does not
 * load the SDK).
 */
export const STRIPE_API_VERSION: typeof Stripe.API_VERSION = '2026-10-28.endive';

/** A Stripe-style id: `prefix` and random base62 (e.g. `re_3Qx…`). */
export function stripeId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const b of bytes) id += alphabet[b % alphabet.length];
  return `${prefix}${id}`;
}

export const unixSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

export interface SessionFacts {
  id: string;
  /** Unix seconds. */
  created: number;
  expiresAt: number;
  /** Lower case, as Stripe writes it. */
  currency: string;
  amountSubtotal: number;
  amountDiscount: number;
  couponId: string | null;
  clientReferenceId: string | null;
  customerEmail: string | null;
  metadata: Record<string, string>;
  successUrl: string | null;
  cancelUrl: string | null;
  status: 'open' | 'complete' | 'expired';
  paymentStatus: 'paid' | 'unpaid' | 'no_payment_required';
  paymentIntent: string | null;
  /** The hosted payment page; Stripe clears it once the session is complete or expired. */
  url: string | null;
}

/** A Checkout Session in mode `payment`, hosted page, as Stripe returns and sends it. */
export function stripeCheckoutSession(f: SessionFacts): Stripe.Checkout.Session {
  const complete = f.status === 'complete';
  return {
    id: f.id,
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: f.amountSubtotal,
    amount_total: f.amountSubtotal - f.amountDiscount,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: f.cancelUrl,
    client_reference_id: f.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: f.created,
    currency: f.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: {
      after_submit: null,
      shipping_address: null,
      submit: null,
      terms_of_service_acceptance: null,
    },
    customer: null,
    customer_account: null,
    customer_creation: 'if_required',
    // Stripe fills the customer's details in when the session completes.
    customer_details: complete
      ? {
          address: null,
          business_name: null,
          email: f.customerEmail,
          individual_name: null,
          name: null,
          phone: null,
          tax_exempt: 'none',
          tax_ids: [],
        }
      : null,
    customer_email: f.customerEmail,
    discounts: f.couponId ? [{ coupon: f.couponId, promotion_code: null }] : [],
    expires_at: f.expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: f.metadata,
    mode: 'payment',
    origin_context: null,
    payment_intent: f.paymentIntent,
    payment_link: null,
    payment_method_collection: 'if_required',
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ['card'],
    payment_status: f.paymentStatus,
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: f.status,
    submit_type: null,
    subscription: null,
    success_url: f.successUrl,
    total_details: { amount_discount: f.amountDiscount, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted_page',
    url: f.url,
    wallet_options: null,
  };
}

export interface RefundFacts {
  id: string;
  created: number;
  amount: number;
  currency: string;
  paymentIntent: string;
  /** The charge behind the payment intent (`ch_…`). */
  charge: string;
  metadata: Record<string, string>;
  reason: 'duplicate' | 'fraudulent' | 'requested_by_customer' | null;
  status: 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';
  /** Stripe sets it only on failed refunds. */
  failureReason?: string;
}

export function stripeRefund(f: RefundFacts): Stripe.Refund {
  return {
    id: f.id,
    object: 'refund',
    amount: f.amount,
    balance_transaction: f.status === 'succeeded' ? stripeId('txn_') : null,
    charge: f.charge,
    created: f.created,
    currency: f.currency,
    customer: null,
    customer_account: null,
    destination_details: {
      card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' },
      type: 'card',
    },
    ...(f.failureReason ? { failure_reason: f.failureReason } : {}),
    metadata: f.metadata,
    payment_intent: f.paymentIntent,
    payment_method: null,
    reason: f.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: f.status,
    transfer_reversal: null,
  };
}

/** A webhook event: Stripe's envelope around a snapshot of the object it is about. */
export interface StripeEventJson extends Omit<Stripe.EventBase, 'type' | 'data'> {
  type: Stripe.Event['type'];
  data: { object: Stripe.Checkout.Session | Stripe.Refund | Stripe.Coupon };
}

export function stripeEvent(
  type: Stripe.Event['type'],
  object: StripeEventJson['data']['object'],
  options: { created: number; id?: string; request?: { id: string | null; idempotency_key: string | null } },
): StripeEventJson {
  return {
    id: options.id ?? stripeId('evt_'),
    object: 'event',
    api_version: STRIPE_API_VERSION,
    created: options.created,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    // Events Stripe raises on its own (a shopper paying, a session timing out) carry no request.
    request: options.request ?? { id: null, idempotency_key: null },
    type,
  };
}
