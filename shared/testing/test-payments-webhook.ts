import { register } from '../functions/registry.js';
import { defineHttp } from '../http/define.js';
import { AppError } from '../http/errors.js';
import { ok } from '../http/types.js';
import { WebhookSignatureError, type PaymentEvent } from '../payments/payments.js';
import { currentPlatform } from '../platform/current.js';

/**
 * A test-only webhook at POST /api/testpayments/webhook that verifies each delivery with the
 * platform's payments adapter (the real signature check) and keeps what it accepted. Test files
 * that exercise the local checkout without the orders domain use it; its own route never clashes
 * with the orders domain's `order/webhook` (each test file runs in a process of its own anyway).
 */
export const TEST_WEBHOOK_PATH = '/api/testpayments/webhook';

const accepted: PaymentEvent[] = [];
let registered = false;

/** Registers the webhook (once per process) and returns the events it accepted, oldest first. */
export function registerTestPaymentsWebhook(): readonly PaymentEvent[] {
  if (!registered) {
    register.http(
      defineHttp({
        name: 'testpayments-webhook',
        route: 'testpayments/webhook',
        methods: ['POST'],
        access: 'webhook',
        bodyKind: 'raw',
        summary: 'Test-only payments webhook',
        tags: ['tests'],
        handler: async (request) => {
          try {
            accepted.push(
              await currentPlatform().payments.parseWebhook(
                request.rawBody,
                request.headers['stripe-signature'],
              ),
            );
          } catch (error) {
            if (error instanceof WebhookSignatureError) throw new AppError('bad_request', error.message);
            throw error;
          }
          return ok(null);
        },
      }),
    );
    registered = true;
  }
  return accepted;
}
