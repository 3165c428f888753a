import { z } from 'zod';
import type {
  CheckoutEventType,
  CheckoutPaymentStatus,
  CheckoutSession,
  CheckoutStatus,
  PaymentEvent,
  Refund,
  RefundEventType,
  RefundStatus,
} from './payments.js';

/**
 * Stripe's JSON objects (sessions, refunds, events) -> the port's types. Both adapters use it: the
 * Stripe adapter on the SDK's answers and on webhook bodies, the embedded one on the Stripe-shaped
 * objects it stores and sends. Everything is parsed from `unknown` with zod; fields we do not use are
 * dropped, and open enums (Stripe adds values) are read conservatively: nothing unknown ever reads
 * as paid or final.
 */

/** An expandable reference: Stripe sends an id, or the object when it was expanded. */
const reference = z
  .union([z.string(), z.object({ id: z.string() })])
  .nullish()
  .transform((v) => (v == null ? null : typeof v === 'string' ? v : v.id));

const metadata = z.record(z.string(), z.string()).nullish();

const sessionSchema = z.object({
  id: z.string(),
  object: z.literal('checkout.session'),
  url: z.string().nullish(),
  status: z.string().nullish(),
  payment_status: z.string(),
  payment_intent: reference,
  amount_total: z.number().int().nullish(),
  currency: z.string().nullish(),
  client_reference_id: z.string().nullish(),
  metadata,
  expires_at: z.number().int(),
});

const refundSchema = z.object({
  id: z.string(),
  object: z.literal('refund'),
  amount: z.number().int(),
  currency: z.string(),
  status: z.string().nullish(),
  payment_intent: reference,
  metadata,
  failure_reason: z.string().nullish(),
});

const paymentIntentSchema = z.object({
  id: z.string(),
  object: z.literal('payment_intent'),
  metadata,
  last_payment_error: z.object({ message: z.string().nullish() }).nullish(),
});

const eventSchema = z.object({
  id: z.string(),
  object: z.literal('event'),
  type: z.string(),
  data: z.object({ object: z.unknown() }),
});

export function toCheckoutSession(json: unknown): CheckoutSession {
  const s = sessionSchema.parse(json);
  const paymentStatus = paymentStatusOf(s.payment_status);
  return {
    id: s.id,
    url: s.url ?? null,
    status: checkoutStatusOf(s.status, paymentStatus),
    paymentStatus,
    paymentIntentId: s.payment_intent,
    amountTotalMinor: s.amount_total ?? 0,
    currency: (s.currency ?? '').toUpperCase(),
    // Only our own metadata: client_reference_id can be set by whoever opens a Payment Link on the
    // same Stripe account, so it never names one of our orders.
    orderId: orderIdOf(s.metadata?.['orderId']),
    expiresAt: new Date(s.expires_at * 1000),
  };
}

export function toRefund(json: unknown): Refund {
  const r = refundSchema.parse(json);
  return {
    id: r.id,
    status: refundStatusOf(r.status),
    amountMinor: r.amount,
    currency: r.currency.toUpperCase(),
    paymentIntentId: r.payment_intent,
    orderId: orderIdOf(r.metadata?.['orderId']),
    requestId: orderIdOf(r.metadata?.['refundRequestId']),
    failureReason: r.failure_reason ?? null,
  };
}

const checkoutEventTypes: readonly string[] = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
] satisfies CheckoutEventType[];
const refundEventTypes: readonly string[] = [
  'refund.created',
  'refund.updated',
  'refund.failed',
] satisfies RefundEventType[];

const isCheckoutEventType = (t: string): t is CheckoutEventType => checkoutEventTypes.includes(t);
const isRefundEventType = (t: string): t is RefundEventType => refundEventTypes.includes(t);

/** A Stripe event (already verified) -> what the shop acts on. Throws a ZodError when it is malformed. */
export function toPaymentEvent(json: unknown): PaymentEvent {
  const event = eventSchema.parse(json);
  const { id, type } = event;
  if (isCheckoutEventType(type)) return { id, type, session: toCheckoutSession(event.data.object) };
  if (isRefundEventType(type)) return { id, type, refund: toRefund(event.data.object) };
  if (type === 'payment_intent.payment_failed') {
    const intent = paymentIntentSchema.parse(event.data.object);
    return {
      id,
      type,
      paymentIntentId: intent.id,
      orderId: orderIdOf(intent.metadata?.['orderId']),
      message: intent.last_payment_error?.message ?? 'The payment failed.',
    };
  }
  return { id, type: 'other', stripeType: type };
}

function paymentStatusOf(status: string): CheckoutPaymentStatus {
  return status === 'paid' || status === 'no_payment_required' ? status : 'unpaid';
}

/**
 * Stripe documents a session's status as nullable and open-ended. A session without a known status
 * that reports a payment is complete; otherwise it is read as still open, so the caller keeps
 * waiting (and retrieves it again) instead of treating it as paid or as given up.
 */
function checkoutStatusOf(status: string | null | undefined, paymentStatus: CheckoutPaymentStatus) {
  if (status === 'open' || status === 'complete' || status === 'expired') return status;
  return (paymentStatus === 'unpaid' ? 'open' : 'complete') satisfies CheckoutStatus;
}

const refundStatuses: readonly string[] = [
  'pending',
  'requires_action',
  'succeeded',
  'failed',
  'canceled',
] satisfies RefundStatus[];

const isRefundStatus = (s: string): s is RefundStatus => refundStatuses.includes(s);

/** A refund without a known status is still pending: only `succeeded` means the money went back. */
function refundStatusOf(status: string | null | undefined): RefundStatus {
  return status && isRefundStatus(status) ? status : 'pending';
}

/** Our order ids are positive integers, written as decimal text into metadata / client_reference_id. */
function orderIdOf(text: string | null | undefined): number | null {
  if (!text || !/^[1-9]\d{0,14}$/.test(text)) return null;
  return Number(text);
}
