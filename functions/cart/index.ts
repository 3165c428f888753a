import { register } from '../../shared/functions/registry.js';
import { applyCouponHttp } from './http/apply-coupon.js';
import { emailCartHttp } from './http/email-cart.js';
import { getCartHttp } from './http/get-cart.js';
import { removeCartLinesHttp } from './http/remove-cart-lines.js';
import { removeCouponHttp } from './http/remove-coupon.js';
import { upsertCartHttp } from './http/upsert-cart.js';
import { cartMigrations } from './migrations/2026_11_25_1200_create_cart.js';

register.domain({ name: 'cart', migrations: cartMigrations });
register.http(
  getCartHttp,
  upsertCartHttp,
  removeCartLinesHttp,
  applyCouponHttp,
  removeCouponHttp,
  emailCartHttp,
);
