/**
 * The order's life, in one table. Every status change in the domain goes through `decide`, and the
 * repository applies an allowed one with a conditional UPDATE on the status it was decided from, so
 * two racing changes cannot both happen.
 *
 *   Pending ──paid──> Approved ──> ReadyForPickup ──> Completed
 *      │                 │
 *      └──> Cancelled <──┘ (a paid order's refund starts)
 *               │
 *               └──> Refunded (Stripe confirmed the refund)
 */
export const orderStatuses = [
  'Pending',
  'Approved',
  'ReadyForPickup',
  'Completed',
  'Cancelled',
  'Refunded',
] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/** Who asks for a change: the order's customer, an ADMIN, or the payment provider's confirmations. */
export type Actor = 'customer' | 'admin' | 'payment' | 'refund';

export type CancelReason = 'customer' | 'admin' | 'payment_expired' | 'payment_failed';

interface Transition {
  from: OrderStatus;
  to: OrderStatus;
  by: readonly Actor[];
}

export const transitions: readonly Transition[] = [
  // Paid through Stripe, or marked paid by the shop (paid in person).
  { from: 'Pending', to: 'Approved', by: ['payment', 'admin'] },
  // Not paid: stock and coupon use go back. `payment`: the session expired or the payment failed.
  { from: 'Pending', to: 'Cancelled', by: ['customer', 'admin', 'payment'] },
  { from: 'Approved', to: 'ReadyForPickup', by: ['admin'] },
  { from: 'ReadyForPickup', to: 'Completed', by: ['admin'] },
  // Paid, then cancelled: the payment is refunded.
  { from: 'Approved', to: 'Cancelled', by: ['customer', 'admin'] },
  // Only Stripe's confirmation of the refund makes an order Refunded.
  { from: 'Cancelled', to: 'Refunded', by: ['refund'] },
];

export type Decision =
  | { kind: 'unchanged' }
  | { kind: 'allowed' }
  /** The table has no such move. */
  | { kind: 'invalid'; message: string }
  /** The move exists, but not for this actor. */
  | { kind: 'not-permitted'; message: string };

/** Whether `actor` may move an order from `from` to `to`. Asking for the current status changes nothing. */
export function decide(from: OrderStatus, to: OrderStatus, actor: Actor): Decision {
  if (from === to) return { kind: 'unchanged' };
  const transition = transitions.find((t) => t.from === from && t.to === to);
  if (!transition) {
    return { kind: 'invalid', message: `An order cannot go from ${from} to ${to}.` };
  }
  if (transition.by.includes(actor)) return { kind: 'allowed' };
  return { kind: 'not-permitted', message: notPermitted(from, to, actor) };
}

function notPermitted(from: OrderStatus, to: OrderStatus, actor: Actor): string {
  if (to === 'Refunded')
    return `An order goes from ${from} to Refunded when the payment provider confirms the refund.`;
  if (actor === 'customer')
    return `Only the shop can move an order from ${from} to ${to}; you can cancel it.`;
  return `An order cannot be moved from ${from} to ${to} that way.`;
}

/** Parses a status name as the storefront sends it (case-insensitive); undefined when there is none. */
export function parseStatus(text: string): OrderStatus | undefined {
  const wanted = text.trim().toLowerCase();
  return orderStatuses.find((s) => s.toLowerCase() === wanted);
}

/** Statuses from which the order counts as paid (its stock and coupon use are committed). */
export const paidStatuses: readonly OrderStatus[] = ['Approved', 'ReadyForPickup', 'Completed'];
