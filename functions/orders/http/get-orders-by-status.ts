import { z } from 'zod';
import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { getOrdersByStatus } from '../order-queries.service.js';
import { ordersDeps } from '../orders.deps.js';
import { orderHeaderSchema, ordersByStatusParams, pagingQuery } from '../orders.schemas.js';

export const getOrdersByStatusHttp = defineHttp({
  name: 'orders-by-status',
  route: 'order/getorderbystatus/{userId}/{status}',
  methods: ['GET'],
  access: 'user',
  bodyKind: 'none',
  params: ordersByStatusParams,
  query: pagingQuery,
  response: z.array(orderHeaderSchema),
  summary:
    'A user’s orders (yours, or anyone’s for an ADMIN), newest first; status is All, Pending, Approved, ' +
    'ReadyForPickup, Completed, Cancelled or Refunded. Optional pageIndex (1) and pageSize (100, at most 500)',
  tags: ['orders'],
  async handler({ caller, params, query }) {
    return ok(await getOrdersByStatus(ordersDeps(), caller, params.userId, params.status, query));
  },
});
