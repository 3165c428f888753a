import { forbidden, notFound } from '../../shared/http/errors.js';
import type { Caller } from '../../shared/http/types.js';
import * as repo from './orders.repository.js';
import type { OrderRow, OrdersDb } from './orders.tables.js';

/** The caller is the token's sub: another user's id is refused unless the caller is an ADMIN. */
export function ownerOf(caller: Caller, userId: string | null | undefined): string {
  const wanted = userId?.trim() || caller.userId;
  if (wanted !== caller.userId && !caller.isAdmin)
    throw forbidden('You can only see and place your own orders.');
  return wanted;
}

/** An order the caller may see: their own, or any for an ADMIN. Any other id is simply not found. */
export async function findOrderFor(db: OrdersDb, caller: Caller, orderId: number): Promise<OrderRow> {
  const order = await repo.findOrder(db, orderId);
  // An order still being placed (or that could not be) is nobody's to see or pay.
  if (!order || order.placed_at === null || (order.user_id !== caller.userId && !caller.isAdmin)) {
    throw notFound(`Order ${orderId} was not found.`);
  }
  return order;
}
