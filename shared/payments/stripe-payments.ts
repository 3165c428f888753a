import Stripe from 'stripe';
import { systemClock, type Clock } from '../time/clock.js';
import {
  IdempotencyKeyReusedError,
  type CheckoutRequest,
  type CheckoutSession,
  type PaymentEvent,
  type PaymentProvider,
  type Refund,
  type RefundRequest,
} from './payments.js';
import { toCheckoutSession, toRefund } from './stripe-objects.js';
import { unixSeconds } from './stripe-shapes.js';
import { verifyStripeWebhook } from './stripe-webhooks.js';

export interface StripePaymentsOptions {
  secretKey: string;
  webhookSecret: string;
  toleranceSeconds: number;
  /** Stripe's API origin; a stripe-mock or a loopback double in tests. */
  apiUrl?: string;
  clock?: Clock;
  timeoutMs?: number;
}

/** Stripe's limit on a coupon's name. */
const COUPON_NAME_MAX = 40;

/**
 * The payments port on Stripe (Checkout Sessions, refunds, signed webhooks) through the `stripe` SDK.
 * A discount becomes a one-off fixed-amount coupon, never a percentage, so Stripe's total equals ours
 * to the cent. The SDK retries network failures and 5xx answers with the same idempotency key.
 */
export class StripePayments implements PaymentProvider {
  readonly kind = 'stripe' as const;
  readonly #stripe: Stripe;
  readonly #clock: Clock;

  constructor(private readonly options: StripePaymentsOptions) {
    const api = new URL(options.apiUrl ?? 'https://api.stripe.com');
    const protocol = api.protocol === 'http:' ? 'http' : 'https';
    this.#stripe = new Stripe(options.secretKey, {
      apiVersion: Stripe.API_VERSION,
      host: api.hostname,
      port: api.port || (protocol === 'http' ? 80 : 443),
      protocol,
      maxNetworkRetries: 2,
      timeout: options.timeoutMs ?? 20_000,
    });
    this.#clock = options.clock ?? systemClock;
  }

  async createCheckoutSession(request: CheckoutRequest, idempotencyKey: string): Promise<CheckoutSession> {
    const currency = request.currency.toLowerCase();
    const orderId = String(request.orderId);
    return translateErrors(async () => {
      const coupon =
        request.discountMinor > 0 ? await this.#oneOffCoupon(request, idempotencyKey) : undefined;
      const session = await this.#stripe.checkout.sessions.create(
        {
          mode: 'payment',
          currency,
          line_items: request.lines.map((line) => ({
            quantity: line.quantity,
            price_data: {
              currency,
              unit_amount: line.unitAmountMinor,
              product_data: {
                name: line.name,
                // Stripe shows only https images (and refuses other URLs).
                ...(line.imageUrl.startsWith('https://') ? { images: [line.imageUrl] } : {}),
              },
            },
          })),
          ...(coupon ? { discounts: [{ coupon }] } : {}),
          client_reference_id: orderId,
          metadata: { orderId },
          // Copied onto the payment intent, so refunds and payment_intent events lead back to the order.
          payment_intent_data: { metadata: { orderId } },
          expires_at: unixSeconds(request.expiresAt),
          success_url: request.successUrl,
          cancel_url: request.cancelUrl,
          ...(request.customerEmail ? { customer_email: request.customerEmail } : {}),
        },
        { idempotencyKey },
      );
      return toCheckoutSession(session);
    });
  }

  async retrieveCheckoutSession(sessionId: string): Promise<CheckoutSession> {
    return toCheckoutSession(await this.#stripe.checkout.sessions.retrieve(sessionId));
  }

  async expireCheckoutSession(sessionId: string): Promise<CheckoutSession> {
    try {
      return toCheckoutSession(await this.#stripe.checkout.sessions.expire(sessionId));
    } catch (error) {
      // Stripe refuses to expire a session that is not open (paid, or expired already): the port
      // answers such a session as it is. Anything else (an unknown id, an outage) is an error.
      if (!(error instanceof Stripe.errors.StripeInvalidRequestError) || error.statusCode === 404)
        throw error;
      const session = await this.retrieveCheckoutSession(sessionId);
      if (session.status === 'open') throw error;
      return session;
    }
  }

  async refund(request: RefundRequest, idempotencyKey: string): Promise<Refund> {
    return translateErrors(async () =>
      toRefund(
        await this.#stripe.refunds.create(
          {
            payment_intent: request.paymentIntentId,
            amount: request.amountMinor,
            reason: request.reason,
            metadata: { orderId: String(request.orderId), refundRequestId: String(request.requestId) },
          },
          { idempotencyKey },
        ),
      ),
    );
  }

  parseWebhook(rawBody: Buffer, signatureHeader: string | undefined): Promise<PaymentEvent> {
    return verifyStripeWebhook(rawBody, signatureHeader, {
      secret: this.options.webhookSecret,
      toleranceSeconds: this.options.toleranceSeconds,
      clock: this.#clock,
    });
  }

  async close(): Promise<void> {
    // The SDK holds no resources of its own beyond keep-alive sockets, which do not keep Node alive.
  }

  /** A coupon for exactly this order's discount, usable once, under a key derived from the session's. */
  async #oneOffCoupon(request: CheckoutRequest, idempotencyKey: string): Promise<string> {
    const name = Array.from(request.discountLabel).slice(0, COUPON_NAME_MAX).join('').trim();
    const coupon = await this.#stripe.coupons.create(
      {
        amount_off: request.discountMinor,
        currency: request.currency.toLowerCase(),
        duration: 'once',
        max_redemptions: 1,
        ...(name ? { name } : {}),
      },
      { idempotencyKey: `${idempotencyKey}-coupon` },
    );
    return coupon.id;
  }
}

/** Stripe's idempotency error becomes the port's, so callers handle both adapters alike. */
async function translateErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeIdempotencyError)
      throw new IdempotencyKeyReusedError(error.message, { cause: error });
    throw error;
  }
}
