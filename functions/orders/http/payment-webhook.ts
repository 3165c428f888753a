import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { ordersDeps } from '../orders.deps.js';
import { receivePaymentWebhook } from '../payment-webhook.service.js';

export const paymentWebhookHttp = defineHttp({
  name: 'orders-payment-webhook',
  route: 'order/webhook',
  methods: ['POST'],
  access: 'webhook',
  bodyKind: 'raw',
  summary:
    'Stripe event delivery (no JWT): the Stripe-Signature header is verified over the raw body. Handles ' +
    'checkout.session.completed / async_payment_succeeded / async_payment_failed / expired and refund.created / ' +
    'updated / failed; other types are acknowledged and ignored. A redelivered event changes nothing',
  tags: ['orders'],
  async handler({ rawBody, headers }) {
    const outcome = await receivePaymentWebhook(ordersDeps(), rawBody, headers['stripe-signature']);
    return ok(
      { received: true, outcome },
      outcome === 'duplicate' ? 'Event already processed.' : 'Event received.',
    );
  },
});
