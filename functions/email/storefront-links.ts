/**
 * The storefront pages emails link to, under SHOP_URL (a path in SHOP_URL is kept). The reset page
 * takes the email and the one-time token as the storefront reads them: `/reset-password?email=…&token=…`.
 */
export interface StorefrontLinks {
  home: string;
  /** The customer's order history. */
  orders: string;
  cart: string;
  resetPassword(email: string, token: string): string;
}

export function storefrontLinks(shopUrl: string): StorefrontLinks {
  const base = shopUrl.endsWith('/') ? shopUrl : `${shopUrl}/`;
  const page = (path: string, params: Record<string, string> = {}) => {
    const url = new URL(path, base);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    return url.toString();
  };
  return {
    home: page(''),
    orders: page('orders'),
    cart: page('cart'),
    resetPassword: (email, token) => page('reset-password', { email, token }),
  };
}
