import { currentPlatform } from '../../shared/platform/current.js';
import { cartDeps } from './cart.deps.js';
import { findCartByUser } from './cart.repository.js';

/**
 * The face of the cart that orders call: the coupon code the user applied to their cart (upper
 * case), or null. Orders price it again themselves through the coupons client.
 */
export async function getCartCouponCode(userId: string): Promise<string | null> {
  const header = await findCartByUser(cartDeps(currentPlatform()).db, userId);
  return header?.coupon_code ?? null;
}
