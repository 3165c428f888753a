import { z } from 'zod';
import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { getOrders } from '../order-queries.service.js';
import { ordersDeps } from '../orders.deps.js';
import { getOrdersQuery, orderHeaderSchema } from '../orders.schemas.js';

export const getOrdersHttp = defineHttp({
  name: 'orders-list',
  route: 'order/getorders',
  methods: ['GET'],
  access: 'user',
  bodyKind: 'none',
  query: getOrdersQuery,
  response: z.array(orderHeaderSchema),
  summary:
    'Your orders, newest first; an ADMIN gets every order, or one user’s with ?userId=. Optional pageIndex (1) ' +
    'and pageSize (100, at most 500)',
  tags: ['orders'],
  async handler({ caller, query }) {
    return ok(await getOrders(ordersDeps(), caller, query));
  },
});
