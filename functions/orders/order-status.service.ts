import { conflict } from '../../shared/http/errors.js';
import type { Caller } from '../../shared/http/types.js';
import { findOrderFor } from './order-access.js';
import { decide, type OrderStatus } from './order-status.js';
import {
  approveWithoutPayment,
  cancelOrder,
  isPaid,
  paymentOf,
  recordPayment,
  type InTransaction,
} from './order-transitions.js';
import { reload } from './order-view.js';
import type { OrdersDeps } from './orders.deps.js';
import * as repo from './orders.repository.js';
import type { OrderHeaderDto } from './orders.schemas.js';
import type { OrderRow } from './orders.tables.js';

/**
 * updateorderstatus: a customer may cancel their own Pending or Approved order; an ADMIN may make any
 * move the state machine allows. Asking for the status the order already has changes nothing and
 * succeeds, so the storefront's repeated and concurrent calls are harmless.
 */
export async function changeOrderStatus(
  deps: OrdersDeps,
  caller: Caller,
  orderId: number,
  to: OrderStatus,
): Promise<{ order: OrderHeaderDto; message: string }> {
  const order = await findOrderFor(deps.db, caller, orderId);
  const actor = caller.isAdmin ? 'admin' : 'customer';
  // A refunded order is a cancelled one whose money came back: cancelling it again changes nothing.
  const current = to === 'Cancelled' && order.status === 'Refunded' ? 'Cancelled' : order.status;
  const decision = decide(current, to, actor);
  if (decision.kind === 'unchanged')
    return { order: await reload(deps.db, orderId), message: `Order is ${order.status}.` };
  if (decision.kind !== 'allowed') throw conflict(decision.message);

  const inTransaction = <T>(work: (tx: InTransaction) => Promise<T>) =>
    deps.transaction((trx, emit) => work({ trx, emit, now: deps.clock.now(), log: deps.log }));
  let message: string;
  switch (to) {
    case 'Cancelled':
      message = await cancel(deps, order, actor, inTransaction);
      break;
    case 'Approved':
      await inTransaction((tx) => approveWithoutPayment(tx, order));
      await closeSessionAfterManualPayment(deps, order, inTransaction);
      message = 'Order marked as paid.';
      break;
    default:
      if (!(await repo.moveStatus(deps.db, order.id, order.status, to, { updated_at: deps.clock.now() }))) {
        throw conflict(`Order ${order.id} changed meanwhile; reload it and try again.`);
      }
      message = `Order is ${to}.`;
  }
  return { order: await reload(deps.db, orderId), message };
}

type Run = <T>(work: (tx: InTransaction) => Promise<T>) => Promise<T>;

async function cancel(
  deps: OrdersDeps,
  order: OrderRow,
  actor: 'customer' | 'admin',
  run: Run,
): Promise<string> {
  // Close the payment page first: a session left open could still be paid after the order is
  // cancelled. If it was paid just now, the order is recorded as paid and cancelled as paid (refund).
  if (order.status === 'Pending' && order.checkout_session_id) {
    const session = await deps.payments
      .expireCheckoutSession(order.checkout_session_id)
      .catch((error: unknown) => {
        deps.log.warn(
          'could not expire the checkout session of a cancelled order; a late payment is refunded',
          {
            orderId: order.id,
            error,
          },
        );
        return undefined;
      });
    if (session && isPaid(session)) await run((tx) => recordPayment(tx, paymentOf(session, order.id)));
  }
  const from = await run((tx) => cancelOrder(tx, order.id, actor));
  if (from === 'Approved' && order.total_minor > 0) return 'Order cancelled. Your payment will be refunded.';
  return from === undefined ? 'This order can no longer be cancelled.' : 'Order cancelled.';
}

/** The shop took the payment itself: the order's payment page must not take a second one. */
async function closeSessionAfterManualPayment(deps: OrdersDeps, order: OrderRow, run: Run): Promise<void> {
  if (!order.checkout_session_id) return;
  const session = await deps.payments.expireCheckoutSession(order.checkout_session_id).catch(() => undefined);
  if (session && isPaid(session)) await run((tx) => recordPayment(tx, paymentOf(session, order.id)));
}
