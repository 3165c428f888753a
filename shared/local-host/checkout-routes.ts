import type http from 'node:http';
import type { Config } from '../config/config.js';
import type { LocalCheckout, LocalPayments } from '../payments/local-payments.js';
import { checkoutClosedPage, checkoutNotFoundPage, checkoutPage } from './checkout-page.js';
import { isLoopbackRequest } from './loopback-guard.js';

/**
 * The local checkout: GET /checkout/<id> shows the payment page; POST /checkout/<id>/pay pays
 * (the shop's webhook hears of it before the shopper is sent on) and POST /checkout/<id>/cancel goes
 * back, each answered with a 303 to the session's success / cancel URL, like Stripe Checkout.
 */
export async function serveCheckout(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  pathname: string,
  context: { payments: LocalPayments; config: Config; now: () => Date; hosts?: readonly string[] },
): Promise<void> {
  const { payments, config } = context;
  if (!isLoopbackRequest(req, context.hosts ?? []))
    return refuse(res, 403, 'The local checkout is only served to this machine.');
  const match = /^\/checkout\/([A-Za-z0-9_]+)(?:\/(pay|cancel))?$/.exec(pathname);
  const id = match?.[1] ?? '';
  const action = match?.[2];
  const notFound = () =>
    page(res, 404, checkoutNotFoundPage(config.SHOP_NAME, config.SHOP_URL), [], req.method === 'HEAD');

  if (!action) {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return refuse(res, 405, 'Use GET.', { allow: 'GET, HEAD' });
    const checkout = match ? payments.checkout(id) : undefined;
    if (!checkout) return notFound();
    if (checkout.session.status !== 'open')
      return page(res, 200, checkoutClosedPage(checkout, config.SHOP_NAME), [], req.method === 'HEAD');
    return page(
      res,
      200,
      checkoutPage(checkout, config.SHOP_NAME, context.now()),
      returnTargets(checkout),
      req.method === 'HEAD',
    );
  }

  if (req.method !== 'POST') return refuse(res, 405, 'Use POST.', { allow: 'POST' });
  req.resume(); // the forms carry no fields
  if (!isSameOrigin(req)) return refuse(res, 403, 'Checkout actions come from the checkout page only.');
  if (action === 'cancel') {
    const cancelUrl = payments.cancel(id);
    return cancelUrl === undefined ? notFound() : redirect(res, cancelUrl);
  }
  const paid = await payments.pay(id);
  if (paid.kind === 'unknown') return notFound();
  if (paid.kind === 'not-open')
    return page(res, 409, checkoutClosedPage(paid.checkout, config.SHOP_NAME), []);
  return redirect(res, paid.checkout.successUrl);
}

/** The origins Pay and Cancel redirect to: CSP's form-action also governs a form's redirects. */
function returnTargets(checkout: LocalCheckout): string[] {
  const origins = [checkout.successUrl, checkout.cancelUrl]
    .filter((u) => URL.canParse(u))
    .map((u) => new URL(u))
    .filter((u) => u.protocol === 'http:' || u.protocol === 'https:')
    .map((u) => u.origin);
  return [...new Set(origins)];
}

/**
 * A browser posting the page's own form sends its origin (Referrer-Policy: same-origin keeps it);
 * another site's form would send its own, or `null`. Clients that send none (curl) are let through:
 * the loopback guard already stands in front.
 */
function isSameOrigin(req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://${req.headers.host ?? ''}`;
}

function page(
  res: http.ServerResponse,
  status: number,
  html: string,
  formTargets: string[],
  headOnly = false,
): void {
  const formAction = formTargets.length > 0 ? `'self' ${formTargets.join(' ')}` : "'none'";
  res
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(html),
      'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; img-src * data:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
      'referrer-policy': 'same-origin',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    })
    .end(headOnly ? undefined : html);
}

function redirect(res: http.ServerResponse, location: string): void {
  // Serialised by the URL parser, so nothing in it can break the header.
  res.writeHead(303, { location: new URL(location).href, 'cache-control': 'no-store' }).end();
}

function refuse(
  res: http.ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(message);
}
