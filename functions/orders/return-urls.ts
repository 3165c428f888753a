import { badRequest } from '../../shared/http/errors.js';

const localOrigin = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/**
 * Where Stripe may send the shopper back: only to one of the storefront's origins (the setting
 * STOREFRONT_ORIGINS), or, when that is empty, to a storefront running locally on any port. Anything
 * else would make the checkout an open redirect that a phishing page could borrow.
 */
export function checkReturnUrl(url: string, field: string, allowedOrigins: string[]): string {
  const origin = new URL(url).origin;
  const allowed =
    allowedOrigins.length === 0
      ? localOrigin.test(origin)
      : allowedOrigins.some((o) => o.replace(/\/+$/, '').toLowerCase() === origin.toLowerCase());
  if (!allowed) {
    const where =
      allowedOrigins.length === 0
        ? 'a storefront on this machine (http://localhost:<port>); set STOREFRONT_ORIGINS to allow others'
        : allowedOrigins.join(', ');
    throw badRequest(`${field} must point at the storefront (${where}), not ${origin}.`, field);
  }
  return url;
}
