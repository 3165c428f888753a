import { toOrderHeader } from './order.mapper.js';
import type { OrderHeaderDto } from './orders.schemas.js';
import * as repo from './orders.repository.js';
import type { OrderRow, OrdersDb } from './orders.tables.js';

/** Orders with their lines (one statement for all the lines), in the order given. */
export async function present(db: OrdersDb, orders: OrderRow[]): Promise<OrderHeaderDto[]> {
  const lines = await repo.findLines(
    db,
    orders.map((o) => o.id),
  );
  return orders.map((order) => toOrderHeader(order, lines));
}

export async function presentOne(db: OrdersDb, order: OrderRow): Promise<OrderHeaderDto> {
  const [dto] = await present(db, [order]);
  if (!dto) throw new Error(`order ${order.id} could not be presented`);
  return dto;
}

/** Reads the order again (after a change) and presents it. */
export async function reload(db: OrdersDb, orderId: number): Promise<OrderHeaderDto> {
  const order = await repo.findOrder(db, orderId);
  if (!order) throw new Error(`order ${orderId} vanished`);
  return presentOne(db, order);
}
