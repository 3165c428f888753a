import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { startCheckout } from '../checkout.service.js';
import { ordersDeps } from '../orders.deps.js';
import { checkoutSchema, createCheckoutBody } from '../orders.schemas.js';

export const createCheckoutHttp = defineHttp({
  name: 'orders-create-checkout',
  route: 'order/createstripesession',
  methods: ['POST'],
  access: 'user',
  session: 'live',
  bodyKind: 'json',
  body: createCheckoutBody,
  response: checkoutSchema,
  summary:
    'Open the payment page of your Pending order (only orderHeader.orderHeaderId is read). approvedUrl and ' +
    'cancelUrl must be on a storefront origin (STOREFRONT_ORIGINS). A repeat returns the open session. A zero ' +
    'total is approved at once and stripeSessionUrl is the approvedUrl. Send the browser to stripeSessionUrl',
  tags: ['orders'],
  async handler({ caller, body }) {
    return ok(await startCheckout(ordersDeps(), caller, body), 'Checkout session ready.');
  },
});
