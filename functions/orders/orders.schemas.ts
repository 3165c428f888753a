import { z } from 'zod';
import { bodyId, bodyUserId, id, intQuery } from '../../shared/http/fields.js';
import { orderStatuses, parseStatus, type OrderStatus } from './order-status.js';

export const MAX_ORDER_LINES = 50;
/** Units of one product in one order (the cart's limit too). */
export const MAX_UNITS = 99;

const userIdField = bodyUserId();

const count = z
  .number({ message: 'count must be a number' })
  .int('count must be a whole number')
  .min(1, 'count must be at least 1')
  .max(MAX_UNITS, `count must be at most ${MAX_UNITS}`);

/**
 * createorder. The storefront posts its cart (whole products, prices and totals included) and
 * deletes those cart lines at the same moment: only `productId` and `count` are read, and the order
 * is priced on the server. Repeated products are merged.
 */
export const createOrderBody = z.object(
  {
    cartHeader: z.object({ userId: userIdField }, { message: 'cartHeader must be an object' }).optional(),
    cartDetails: z
      .array(
        z.object({ productId: bodyId('productId'), count }, { message: 'each order line must be an object' }),
        { message: 'cartDetails must be a list of order lines' },
      )
      .min(1, 'An order needs at least one product')
      .max(MAX_ORDER_LINES, `An order may have at most ${MAX_ORDER_LINES} lines`),
  },
  { message: 'The body must be an order: { cartHeader, cartDetails: [{ productId, count }] }' },
);
export type CreateOrderInput = z.infer<typeof createOrderBody>;

/** An absolute http(s) URL; which origins are allowed is checked against the settings (return-urls.ts). */
const returnUrl = (label: string) =>
  z
    .string({ message: `${label} is required` })
    .trim()
    .max(2000, `${label} is too long`)
    .pipe(z.url({ message: `${label} must be an absolute URL`, protocol: /^https?$/ }));

/** createstripesession: the whole order header may come along; only its id is read. */
export const createCheckoutBody = z.object({
  approvedUrl: returnUrl('approvedUrl'),
  cancelUrl: returnUrl('cancelUrl'),
  orderHeader: z.object(
    { orderHeaderId: id('orderHeader.orderHeaderId') },
    { message: 'orderHeader is required' },
  ),
});
export type CreateCheckoutInput = z.infer<typeof createCheckoutBody>;

/** validatestripesession: a bare JSON number. The return page sends 0 or null when it lost the id. */
export const validateCheckoutBody = id('Order id');

export type StatusFilter = OrderStatus | 'All';

const statusText = z.string({ message: 'The status must be text, like "Cancelled"' });
const notAStatus = (value: string, valid: readonly string[]) => ({
  code: 'custom' as const,
  message: `"${value}" is not an order status; use one of ${valid.join(', ')}`,
});

/** updateorderstatus: a bare JSON string such as "Cancelled" (any case); a wrong one lists the valid ones. */
export const updateStatusBody = statusText.transform((value, ctx): OrderStatus => {
  const status = parseStatus(value);
  if (status) return status;
  ctx.addIssue(notAStatus(value, orderStatuses));
  return z.NEVER;
});

/** A status filter: a status or `All`. */
const statusFilter = statusText.transform((value, ctx): StatusFilter => {
  if (value.trim().toLowerCase() === 'all') return 'All';
  const status = parseStatus(value);
  if (status) return status;
  ctx.addIssue(notAStatus(value, ['All', ...orderStatuses]));
  return z.NEVER;
});
export const orderIdParams = z.object({ orderId: id('Order id') });
export const getOrderParams = z.object({ id: id('Order id') });

export const ordersByStatusParams = z.object({
  userId: z.string().trim().min(1, 'userId is required').max(64, 'userId is too long'),
  status: statusFilter,
});
const paging = {
  pageIndex: intQuery('pageIndex', 1, 1, 100_000),
  pageSize: intQuery('pageSize', 100, 1, 500),
};
export const pagingQuery = z.object(paging);
export const getOrdersQuery = z.object({
  userId: z.string().trim().max(64, 'userId is too long').optional(),
  ...paging,
});
export type Paging = z.infer<typeof pagingQuery>;

// Responses

export const orderDetailSchema = z.object({
  orderDetailsId: z.number().int(),
  orderHeaderId: z.number().int(),
  productId: z.number().int(),
  productName: z.string(),
  productImage: z.string(),
  count: z.number().int(),
  /** The unit price paid. */
  price: z.number(),
});

export const orderHeaderSchema = z.object({
  orderHeaderId: z.number().int(),
  userId: z.string(),
  couponCode: z.string(),
  discount: z.number(),
  orderTotal: z.number(),
  name: z.string(),
  phone: z.string(),
  email: z.string(),
  orderTime: z.string(),
  status: z.enum(orderStatuses),
  paymentIntentId: z.string(),
  stripeSessionId: z.string(),
  orderDetails: z.array(orderDetailSchema),
  // (new) beyond the storefront's contract
  subtotal: z.number(),
  currency: z.string(),
  /** Unpaid orders are cancelled after this instant (ISO). */
  paymentDueBy: z.string(),
});
export type OrderHeaderDto = z.infer<typeof orderHeaderSchema>;

export const checkoutSchema = z.object({
  stripeSessionUrl: z.string(),
  stripeSessionId: z.string(),
  approvedUrl: z.string(),
  cancelUrl: z.string(),
  orderHeader: orderHeaderSchema,
});
export type CheckoutDto = z.infer<typeof checkoutSchema>;
