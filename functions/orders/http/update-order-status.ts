import { defineHttp } from '../../../shared/http/define.js';
import { ok } from '../../../shared/http/types.js';
import { changeOrderStatus } from '../order-status.service.js';
import { ordersDeps } from '../orders.deps.js';
import { orderHeaderSchema, orderIdParams, updateStatusBody } from '../orders.schemas.js';

export const updateOrderStatusHttp = defineHttp({
  name: 'orders-update-status',
  route: 'order/updateorderstatus/{orderId}',
  methods: ['POST'],
  access: 'user',
  session: 'live',
  bodyKind: 'json',
  params: orderIdParams,
  body: updateStatusBody,
  response: orderHeaderSchema,
  summary:
    'Change an order’s status: the body is a bare JSON string such as "Cancelled". A customer may cancel their ' +
    'own Pending or Approved order (a paid one is refunded); an ADMIN may make any allowed move (Pending -> ' +
    'Approved -> ReadyForPickup -> Completed, Pending/Approved -> Cancelled). Asking for the current status ' +
    'changes nothing',
  tags: ['orders'],
  async handler({ caller, params, body }) {
    const { order, message } = await changeOrderStatus(ordersDeps(), caller, params.orderId, body);
    return ok(order, message);
  },
});
