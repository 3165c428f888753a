import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { confirmCheckout } from '../checkout.service.js';
import { ordersDeps } from '../orders.deps.js';
import { orderHeaderSchema, validateCheckoutBody } from '../orders.schemas.js';

export const validateCheckoutHttp = defineHttp({
  name: 'orders-validate-checkout',
  route: 'order/validatestripesession',
  methods: ['POST'],
  access: 'user',
  bodyKind: 'json',
  body: validateCheckoutBody,
  response: orderHeaderSchema,
  summary:
    'The shopper came back from paying: the body is a bare JSON number, the order id. Approves the order if its ' +
    'payment went through (unless the webhook did already) and answers the order as it is; safe to repeat and ' +
    'to call concurrently',
  tags: ['orders'],
  async handler({ caller, body }) {
    const { order, message } = await confirmCheckout(ordersDeps(), caller, body);
    return ok(order, message);
  },
});
