import { register } from '../../shared/functions/registry.js';
import { createCheckoutHttp } from './http/create-checkout.js';
import { createOrderHttp } from './http/create-order.js';
import { getOrderHttp } from './http/get-order.js';
import { getOrdersByStatusHttp } from './http/get-orders-by-status.js';
import { getOrdersHttp } from './http/get-orders.js';
import { paymentWebhookHttp } from './http/payment-webhook.js';
import { updateOrderStatusHttp } from './http/update-order-status.js';
import { validateCheckoutHttp } from './http/validate-checkout.js';
import { expireUnpaidOrder } from './messages/on-payment-window-ended.js';
import { refundPayment } from './messages/on-refund-requested.js';
import { createOrders } from './migrations/2026_12_03_1000_create_orders.js';
import { bigintOrderAmounts } from './migrations/2026_12_05_1000_bigint_amounts.js';

register.domain({ name: 'orders', migrations: [createOrders, bigintOrderAmounts] });
register.http(
  createOrderHttp,
  createCheckoutHttp,
  validateCheckoutHttp,
  updateOrderStatusHttp,
  getOrdersByStatusHttp,
  getOrdersHttp,
  getOrderHttp,
  paymentWebhookHttp,
);
register.consumer(expireUnpaidOrder, refundPayment);
