import { z } from 'zod';
import type { Logger } from '../telemetry/logger.js';
import { systemClock, type Clock } from '../time/clock.js';
import { belowMinimumProblem, discountApplied, expiryProblem } from './checkout-rules.js';
import { LocalPaymentsStore, type SessionRow } from './local-payments-store.js';
import {
  IdempotencyKeyReusedError,
  type CheckoutLine,
  type CheckoutRequest,
  type CheckoutSession,
  type PaymentEvent,
  type PaymentProvider,
  type Refund,
  type RefundRequest,
} from './payments.js';
import { toCheckoutSession, toRefund } from './stripe-objects.js';
import {
  stripeCheckoutSession,
  stripeEvent,
  stripeId,
  stripeRefund,
  unixSeconds,
  type StripeEventJson,
} from './stripe-shapes.js';
import { signStripePayload, verifyStripeWebhook } from './stripe-webhooks.js';
import { postWebhook, WebhookSender, type WebhookDelivery } from './webhook-sender.js';

export interface LocalPaymentsOptions {
  /** The SQLite file (DATA_DIR/db/payments.sqlite), opened on first use. */
  file: string;
  /** The webhook signing secret (`whsec_…`), or how to get it on first use. */
  webhookSecret: string | (() => string);
  toleranceSeconds: number;
  clock?: Clock;
  log: Logger;
  /** Waits before each webhook retry. */
  retryDelaysMs?: number[];
}

/** Where the local host serves the checkout page and receives the webhook. */
export interface LocalCheckoutTarget {
  /** The local host's origin, e.g. `http://127.0.0.1:7071`. */
  baseUrl: string;
  /** The webhook's path under baseUrl. */
  webhookPath?: string;
  /** How an event reaches the webhook; by default an HTTP POST to baseUrl + webhookPath. */
  deliver?: WebhookDelivery;
}

export const DEFAULT_WEBHOOK_PATH = '/api/order/webhook';

/** What the local checkout page shows of a session. */
export interface LocalCheckout {
  session: CheckoutSession;
  lines: CheckoutLine[];
  subtotalMinor: number;
  /** The discount actually taken off (never more than the subtotal). */
  discountMinor: number;
  discountLabel: string;
  customerEmail: string;
  /** Where the shopper goes after paying (`{CHECKOUT_SESSION_ID}` filled in, as Stripe does). */
  successUrl: string;
  cancelUrl: string;
}

export type PayResult =
  /** Complete and paid (now, or already before): send the shopper to `checkout.successUrl`. */
  | { kind: 'paid'; checkout: LocalCheckout }
  /** Expired: nothing can be paid any more. */
  | { kind: 'not-open'; checkout: LocalCheckout }
  | { kind: 'unknown' };

const storedRequest = z.object({
  orderId: z.number().int(),
  currency: z.string(),
  lines: z.array(
    z.object({
      name: z.string(),
      imageUrl: z.string(),
      unitAmountMinor: z.number().int(),
      quantity: z.number().int(),
    }),
  ),
  discountMinor: z.number().int(),
  discountLabel: z.string(),
  customerEmail: z.string(),
  successUrl: z.string(),
  cancelUrl: z.string(),
  expiresAt: z.string(),
});

const SWEEP_INTERVAL_MS = 30_000;

/**
 * The embedded payments adapter: Stripe Checkout on this machine. Sessions, payments and refunds live
 * in SQLite under DATA_DIR; the local host serves the payment page at the session's URL; paying,
 * expiring and refunding send real Stripe-format events, signed with the local webhook secret, to the
 * shop's own webhook, which verifies them with the same code as Stripe's (parseWebhook below).
 */
export class LocalPayments implements PaymentProvider {
  readonly kind = 'embedded' as const;
  readonly #clock: Clock;
  readonly #sender: WebhookSender;
  #store: LocalPaymentsStore | undefined;
  #secret: string | undefined;
  #target: { baseUrl: string; deliver: WebhookDelivery } | undefined;
  #sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: LocalPaymentsOptions) {
    this.#clock = options.clock ?? systemClock;
    this.#sender = new WebhookSender(options.log, options.retryDelaysMs);
  }

  /** The local host tells where it serves the checkout page and the webhook (again after a restart). */
  attach(target: LocalCheckoutTarget): void {
    const baseUrl = target.baseUrl.replace(/\/+$/, '');
    this.#target = {
      baseUrl,
      deliver: target.deliver ?? postWebhook(baseUrl + (target.webhookPath ?? DEFAULT_WEBHOOK_PATH)),
    };
    this.#sweeper ??= setInterval(() => this.sweepExpired(), SWEEP_INTERVAL_MS).unref();
  }

  async createCheckoutSession(request: CheckoutRequest, idempotencyKey: string): Promise<CheckoutSession> {
    const target = this.#target;
    if (!target)
      throw new Error(
        'Payments need STRIPE_SECRET_KEY (Stripe) or the local host (`npm start`), which serves the local checkout page.',
      );
    const now = this.#now();
    const problem = checkoutRequestProblem(request, now);
    if (problem) throw new Error(`Invalid checkout request: ${problem}`);
    const fingerprint = `checkout.session ${canonicalJson(request)}`;
    const json = this.#db.transaction(() => {
      const replayed = this.#replay(idempotencyKey, fingerprint, now);
      if (replayed !== undefined) return replayed;
      const subtotal = request.lines.reduce((sum, l) => sum + l.unitAmountMinor * l.quantity, 0);
      const id = stripeId('cs_test_local_', 32);
      const row: SessionRow = {
        id,
        request: JSON.stringify(request),
        currency: request.currency.toLowerCase(),
        amount_subtotal: subtotal,
        amount_discount: discountApplied(subtotal, request.discountMinor),
        status: 'open',
        payment_status: 'unpaid',
        payment_intent: null,
        url: `${target.baseUrl}/checkout/${id}`,
        expires_at: unixSeconds(request.expiresAt),
        created: now,
      };
      this.#db.insertSession(row);
      const response = JSON.stringify(this.#sessionJson(row));
      this.#db.remember(idempotencyKey, fingerprint, response, now);
      return response;
    });
    return toCheckoutSession(JSON.parse(json));
  }

  async retrieveCheckoutSession(sessionId: string): Promise<CheckoutSession> {
    return toCheckoutSession(this.#sessionJson(this.#row(sessionId)));
  }

  async expireCheckoutSession(sessionId: string): Promise<CheckoutSession> {
    const row = this.#row(sessionId);
    if (this.#statusOf(row) === 'open') this.#expire(sessionId, { id: stripeId('req_local_', 14) });
    return this.retrieveCheckoutSession(sessionId);
  }

  async refund(request: RefundRequest, idempotencyKey: string): Promise<Refund> {
    const now = this.#now();
    const fingerprint = `refund ${canonicalJson(request)}`;
    const outcome = this.#db.transaction(() => {
      const replayed = this.#replay(idempotencyKey, fingerprint, now);
      if (replayed !== undefined) return { response: replayed, created: undefined };
      const session = this.#db.sessionByPaymentIntent(request.paymentIntentId);
      if (!session || session.payment_status !== 'paid')
        throw new Error(`No such payment_intent: '${request.paymentIntentId}'`);
      const remaining =
        session.amount_subtotal -
        session.amount_discount -
        this.#db.refundedAmount(session.payment_intent ?? '');
      if (!Number.isInteger(request.amountMinor) || request.amountMinor < 1)
        throw new Error('Invalid refund: the amount must be a positive whole number of minor units.');
      if (request.amountMinor > remaining)
        throw new Error(
          `Refund amount (${request.amountMinor}) is greater than unrefunded amount on charge (${remaining})`,
        );
      const row = {
        id: stripeId('re_local_'),
        payment_intent: request.paymentIntentId,
        charge: `ch_local_${request.paymentIntentId.slice('pi_local_'.length)}`,
        amount: request.amountMinor,
        currency: session.currency,
        metadata: JSON.stringify(refundMetadata(request)),
        reason: request.reason,
        // Card refunds succeed at once in Stripe's test mode; so do ours.
        status: 'succeeded' as const,
        created: now,
      };
      this.#db.insertRefund(row);
      const refund = stripeRefund({
        id: row.id,
        created: now,
        amount: row.amount,
        currency: row.currency,
        paymentIntent: row.payment_intent,
        charge: row.charge,
        metadata: refundMetadata(request),
        reason: row.reason,
        status: row.status,
      });
      const response = JSON.stringify(refund);
      this.#db.remember(idempotencyKey, fingerprint, response, now);
      return { response, created: refund };
    });
    if (outcome.created)
      void this.#emit('refund.created', outcome.created, {
        id: stripeId('req_local_', 14),
        idempotency_key: idempotencyKey,
      });
    return toRefund(JSON.parse(outcome.response));
  }

  parseWebhook(rawBody: Buffer, signatureHeader: string | undefined): Promise<PaymentEvent> {
    return verifyStripeWebhook(rawBody, signatureHeader, {
      secret: this.#webhookSecret,
      toleranceSeconds: this.options.toleranceSeconds,
      clock: this.#clock,
    });
  }

  /** A session as the checkout page shows it, or undefined when there is no such session. */
  checkout(sessionId: string): LocalCheckout | undefined {
    const row = this.#db.session(sessionId);
    return row && this.#checkoutOf(row);
  }

  /**
   * The shopper pressed Pay: the session completes with a payment intent, and the shop's webhook
   * receives `checkout.session.completed`. Resolves once the webhook answered (its first attempt),
   * so the shopper reaches the success page after the shop has heard of the payment, as with Stripe.
   */
  async pay(sessionId: string): Promise<PayResult> {
    const row = this.#db.session(sessionId);
    if (!row) return { kind: 'unknown' };
    const total = row.amount_subtotal - row.amount_discount;
    const completed = this.#db.completeSession(
      sessionId,
      this.#now(),
      total > 0 ? 'paid' : 'no_payment_required',
      total > 0 ? stripeId('pi_local_') : null,
    );
    const current = this.#row(sessionId);
    if (completed) await this.#emit('checkout.session.completed', this.#sessionJson(current));
    return {
      kind: this.#statusOf(current) === 'complete' ? 'paid' : 'not-open',
      checkout: this.#checkoutOf(current),
    };
  }

  /** The shopper went back: Stripe leaves the session open (it can still be paid) and sends them to the cancel URL. */
  cancel(sessionId: string): string | undefined {
    return this.checkout(sessionId)?.cancelUrl;
  }

  /** Expires every open session whose time is up, telling the shop, as Stripe does on its own. */
  sweepExpired(): number {
    if (!this.#store) return 0;
    const due = this.#db.openSessionsExpiredAt(this.#now());
    for (const id of due) this.#expire(id, null);
    return due.length;
  }

  /** Every webhook delivery started so far has finished, retries included (tests). */
  deliveriesSettled(): Promise<void> {
    return this.#sender.idle();
  }

  async close(): Promise<void> {
    if (this.#sweeper) clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    await this.#sender.close();
    this.#store?.close();
    this.#store = undefined;
  }

  get #db(): LocalPaymentsStore {
    this.#store ??= new LocalPaymentsStore(this.options.file);
    return this.#store;
  }

  get #webhookSecret(): string {
    const secret = this.options.webhookSecret;
    this.#secret ??= typeof secret === 'string' ? secret : secret();
    return this.#secret;
  }

  #now(): number {
    return unixSeconds(this.#clock.now());
  }

  #row(sessionId: string): SessionRow {
    const row = this.#db.session(sessionId);
    if (!row) throw new Error(`No such checkout.session: '${sessionId}'`);
    return row;
  }

  /** What was stored under the key for this very request; a different request under it is refused. */
  #replay(key: string, fingerprint: string, now: number): string | undefined {
    const previous = this.#db.replay(key, now);
    if (previous && previous.fingerprint !== fingerprint)
      throw new IdempotencyKeyReusedError(
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    return previous?.response;
  }

  #expire(sessionId: string, request: { id: string } | null): void {
    if (!this.#db.expireSession(sessionId)) return;
    void this.#emit(
      'checkout.session.expired',
      this.#sessionJson(this.#row(sessionId)),
      request ? { id: request.id, idempotency_key: null } : undefined,
    );
  }

  #statusOf(row: SessionRow): SessionRow['status'] {
    return row.status === 'open' && this.#now() >= row.expires_at ? 'expired' : row.status;
  }

  #request(row: SessionRow): CheckoutRequest {
    const r = storedRequest.parse(JSON.parse(row.request));
    return { ...r, expiresAt: new Date(r.expiresAt) };
  }

  #sessionJson(row: SessionRow) {
    const request = this.#request(row);
    const status = this.#statusOf(row);
    const orderId = String(request.orderId);
    return stripeCheckoutSession({
      id: row.id,
      created: row.created,
      expiresAt: row.expires_at,
      currency: row.currency,
      amountSubtotal: row.amount_subtotal,
      amountDiscount: row.amount_discount,
      couponId: null,
      clientReferenceId: orderId,
      customerEmail: request.customerEmail || null,
      metadata: { orderId },
      successUrl: request.successUrl,
      cancelUrl: request.cancelUrl,
      status,
      paymentStatus: row.payment_status,
      paymentIntent: row.payment_intent,
      url: status === 'open' ? row.url : null,
    });
  }

  #checkoutOf(row: SessionRow): LocalCheckout {
    const request = this.#request(row);
    return {
      session: toCheckoutSession(this.#sessionJson(row)),
      lines: request.lines,
      subtotalMinor: row.amount_subtotal,
      discountMinor: row.amount_discount,
      discountLabel: request.discountLabel,
      customerEmail: request.customerEmail,
      successUrl: request.successUrl.replaceAll('{CHECKOUT_SESSION_ID}', row.id),
      cancelUrl: request.cancelUrl,
    };
  }

  /** Sends an event to the attached webhook; settles after the first attempt (never rejects). */
  #emit(
    type: StripeEventJson['type'],
    object: StripeEventJson['data']['object'],
    request?: { id: string | null; idempotency_key: string | null },
  ): Promise<void> {
    const event = stripeEvent(type, object, { id: stripeId('evt_local_'), created: this.#now(), request });
    const target = this.#target;
    if (!target) {
      this.options.log.warn('payment event not delivered: the local host is not running', {
        eventId: event.id,
        type,
      });
      return Promise.resolve();
    }
    const payload = JSON.stringify(event, null, 2);
    return this.#sender.send(
      target.deliver,
      payload,
      () => signStripePayload(payload, this.#webhookSecret, this.#clock),
      { eventId: event.id, type },
    );
  }
}

/** Why Stripe would refuse this request (the embedded adapter refuses it too), or undefined. */
function checkoutRequestProblem(request: CheckoutRequest, nowSeconds: number): string | undefined {
  if (!/^[A-Za-z]{3}$/.test(request.currency)) return `currency ${request.currency} is not an ISO 4217 code`;
  if (request.lines.length === 0) return 'a session needs at least one line';
  for (const line of request.lines) {
    if (line.name.trim() === '') return 'every line needs a name';
    if (!Number.isInteger(line.quantity) || line.quantity < 1)
      return `quantity ${line.quantity} is not a positive whole number`;
    if (!Number.isInteger(line.unitAmountMinor) || line.unitAmountMinor < 0)
      return `unit amount ${line.unitAmountMinor} is not a whole number of minor units`;
  }
  if (!Number.isInteger(request.discountMinor) || request.discountMinor < 0)
    return `discount ${request.discountMinor} is not a whole number of minor units`;
  for (const [name, url] of [
    ['success', request.successUrl],
    ['cancel', request.cancelUrl],
  ] as const)
    if (!URL.canParse(url)) return `the ${name} URL is not an absolute URL`;
  const subtotal = request.lines.reduce((sum, l) => sum + l.unitAmountMinor * l.quantity, 0);
  return (
    expiryProblem(unixSeconds(request.expiresAt), nowSeconds) ??
    belowMinimumProblem(subtotal - discountApplied(subtotal, request.discountMinor), request.currency)
  );
}

/** JSON with object keys sorted, so equal requests give equal text whatever order their keys came in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

const refundMetadata = (request: RefundRequest) => ({
  orderId: String(request.orderId),
  refundRequestId: String(request.requestId),
});
