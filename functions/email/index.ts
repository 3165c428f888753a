import { register } from '../../shared/functions/registry.js';
import { sendCart } from './messages/cart.js';
import { sendNewOrderNotice } from './messages/new-order-notice.js';
import { sendOrderCancelled } from './messages/order-cancelled.js';
import { sendOrderConfirmation } from './messages/order-confirmation.js';
import { sendPasswordChanged } from './messages/password-changed.js';
import { sendPasswordReset } from './messages/password-reset.js';
import { sendPointsGranted } from './messages/points-granted.js';
import { sendRefundConfirmed } from './messages/refund-confirmed.js';
import { sendWelcome } from './messages/welcome.js';
import { createEmail } from './migrations/2026_12_04_0900_create_email.js';

register.domain({ name: 'email', migrations: [createEmail] });
register.consumer(
  sendWelcome,
  sendPasswordReset,
  sendPasswordChanged,
  sendOrderConfirmation,
  sendNewOrderNotice,
  sendOrderCancelled,
  sendRefundConfirmed,
  sendPointsGranted,
  sendCart,
);
