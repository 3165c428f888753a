import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { readOrCreateOnce } from '../files/read-or-create.js';

/**
 * The embedded adapter's webhook signing secret, when STRIPE_WEBHOOK_SECRET is not set: generated
 * once into DATA_DIR/keys, like the local JWT key, so events signed before a restart still verify
 * after it and a fresh DATA_DIR is a fresh shop.
 */
export function localWebhookSecret(dataDir: string): string {
  return readOrCreateOnce(
    path.join(dataDir, 'keys', 'stripe-webhook-secret'),
    () => `whsec_${randomBytes(32).toString('base64url')}`,
  ).trim();
}
