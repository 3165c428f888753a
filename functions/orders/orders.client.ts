import { currentPlatform } from '../../shared/platform/current.js';
import type { OrderStatus } from './order-status.js';
import { ordersDeps } from './orders.deps.js';
import { findOrder } from './orders.repository.js';

/** What other domains may know of an order (rewards and emails react to its events and may look it up). */
export interface OrderSummary {
  orderId: number;
  userId: string;
  status: OrderStatus;
  currency: string;
  totalMinor: number;
  email: string;
  name: string;
}

export async function getOrderSummary(orderId: number): Promise<OrderSummary | undefined> {
  const row = await findOrder(ordersDeps(currentPlatform()).db, orderId);
  return row
    ? {
        orderId: row.id,
        userId: row.user_id,
        status: row.status,
        currency: row.currency,
        totalMinor: row.total_minor,
        email: row.customer_email,
        name: row.customer_name,
      }
    : undefined;
}
