import Stripe from 'stripe';
import type { Clock } from '../time/clock.js';
import { WebhookSignatureError, type PaymentEvent } from './payments.js';
import { toPaymentEvent } from './stripe-objects.js';

export interface WebhookVerification {
  /** The endpoint's signing secret, `whsec_…`. */
  secret: string;
  /** How old a signature may be, in seconds (replay protection). */
  toleranceSeconds: number;
  /** "Now" for the age check, so tests that move time agree with the signer. */
  clock: Clock;
}

/**
 * Verifies a `Stripe-Signature` header over the raw body with the SDK's own check, then maps the
 * event. Both adapters use it, so the embedded one's webhooks are trusted exactly like Stripe's.
 * Anything that fails, the signature, its age, the JSON or the event's shape, is a
 * WebhookSignatureError: the webhook answers 400 and the sender retries or gives up.
 */
export function verifyStripeWebhook(
  rawBody: Buffer,
  signatureHeader: string | undefined,
  verification: WebhookVerification,
): PaymentEvent {
  let event: unknown;
  try {
    event = Stripe.webhooks.constructEvent(
      rawBody,
      signatureHeader ?? '',
      verification.secret,
      verification.toleranceSeconds,
      undefined,
      verification.clock.now().getTime(),
    );
  } catch (error) {
    throw new WebhookSignatureError(
      `The Stripe signature cannot be trusted: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      { cause: error },
    );
  }
  try {
    return toPaymentEvent(event);
  } catch (error) {
    throw new WebhookSignatureError('The webhook body is not a Stripe event of the expected shape.', {
      cause: error,
    });
  }
}

/** The `Stripe-Signature` header Stripe would send for this exact body, signed at the clock's "now". */
export function signStripePayload(payload: string, secret: string, clock: Clock): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    timestamp: Math.floor(clock.now().getTime() / 1000),
  });
}
