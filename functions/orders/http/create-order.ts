import { defineHttp } from '../../../shared/http/define.js';
import { created, ok } from '../../../shared/http/types.js';
import { ordersDeps } from '../orders.deps.js';
import { createOrderBody, orderHeaderSchema } from '../orders.schemas.js';
import { placeOrder } from '../place-order.service.js';

export const createOrderHttp = defineHttp({
  name: 'orders-create',
  route: 'order/createorder',
  methods: ['POST'],
  access: 'user',
  session: 'live',
  bodyKind: 'json',
  body: createOrderBody,
  response: orderHeaderSchema,
  summary:
    'Place an order from productId/count pairs (the storefront posts its cart; prices, totals and products sent ' +
    'by the client are ignored). Prices come from the catalog and the discount from the cart’s coupon; stock and ' +
    'the coupon use are held until the order is paid or its payment window ends. An Idempotency-Key header makes ' +
    'a retry return the same order. 409 names a product that is short. data = the Pending order',
  tags: ['orders'],
  async handler({ caller, body, headers, baseUrl }) {
    const { order, replayed, note } = await placeOrder(ordersDeps(), {
      caller,
      body,
      idempotencyKey: headers['idempotency-key'],
      baseUrl,
    });
    return replayed
      ? ok(order, 'This order was already placed.')
      : created(order, note ? `Order placed. ${note}` : 'Order placed.');
  },
});
