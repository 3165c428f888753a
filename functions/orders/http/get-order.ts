import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { getOrder } from '../order-queries.service.js';
import { ordersDeps } from '../orders.deps.js';
import { getOrderParams, orderHeaderSchema } from '../orders.schemas.js';

export const getOrderHttp = defineHttp({
  name: 'orders-get',
  route: 'order/getorder/{id}',
  methods: ['GET'],
  access: 'user',
  bodyKind: 'none',
  params: getOrderParams,
  response: orderHeaderSchema,
  summary: 'One of your orders (any order for an ADMIN); another user’s order id is not found',
  tags: ['orders'],
  async handler({ caller, params }) {
    return ok(await getOrder(ordersDeps(), caller, params.id));
  },
});
