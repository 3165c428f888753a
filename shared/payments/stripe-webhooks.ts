import type Stripe from 'stripe';
import { loadOnce } from '../platform/load-once.js';
import type { Clock } from '../time/clock.js';
import { WebhookSignatureError, type PaymentEvent } from './payments.js';
import { toPaymentEvent } from './stripe-objects.js';

/**
 * The SDK, imported at the first webhook rather than at start-up (tried again at the next one if that
 * fails): loading it costs about a tenth of a second, and the embedded shop verifies and signs its
 * webhooks with it only once someone pays.
 */
export const stripeSdk = loadOnce(async (): Promise<typeof Stripe> => (await import('stripe')).default);

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
export async function verifyStripeWebhook(
  rawBody: Buffer,
  signatureHeader: string | undefined,
  verification: WebhookVerification,
): Promise<PaymentEvent> {
  const sdk = await stripeSdk();
  let event: unknown;
  try {
    event = sdk.webhooks.constructEvent(
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
export async function signStripePayload(payload: string, secret: string, clock: Clock): Promise<string> {
  return signStripePayloadWith(await stripeSdk(), payload, secret, clock);
}

/** signStripePayload with an SDK already loaded (test doubles that sign synchronously). */
export function signStripePayloadWith(
  sdk: typeof Stripe,
  payload: string,
  secret: string,
  clock: Clock,
): string {
  return sdk.webhooks.generateTestHeaderString({
    payload,
    secret,
    timestamp: Math.floor(clock.now().getTime() / 1000),
  });
}
