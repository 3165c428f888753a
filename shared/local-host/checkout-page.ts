import { toDecimal } from '../money.js';
import type { LocalCheckout } from '../payments/local-payments.js';
import { escapeHtml } from './html.js';

/**
 * The local checkout page: what Stripe Checkout shows, drawn by the local host for LocalPayments.
 * No scripts: Pay and Cancel are plain forms, so the page works under a CSP without script-src.
 */

const money = (minor: number, currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).format(
    toDecimal(minor),
  );

const isWebUrl = (url: string) => /^https?:\/\//i.test(url);

const formatExpiry = (expiresAt: Date, now: Date) => {
  const minutes = Math.max(0, Math.round((expiresAt.getTime() - now.getTime()) / 60_000));
  return `${expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC (in ${minutes} minute${minutes === 1 ? '' : 's'})`;
};

/** An open session: the order, the total, and Pay / Cancel. */
export function checkoutPage(checkout: LocalCheckout, shopName: string, now: Date): string {
  const { session } = checkout;
  const currency = session.currency;
  const id = encodeURIComponent(session.id);
  const rows = checkout.lines
    .map(
      (line) => `<tr class="line">
        <td class="image">${isWebUrl(line.imageUrl) ? `<img src="${escapeHtml(line.imageUrl)}" alt="" width="48" height="48">` : ''}</td>
        <td class="name">${escapeHtml(line.name)}</td>
        <td class="quantity">${line.quantity}</td>
        <td class="unit-price">${money(line.unitAmountMinor, currency)}</td>
        <td class="line-total">${money(line.unitAmountMinor * line.quantity, currency)}</td>
      </tr>`,
    )
    .join('\n');
  const discount =
    checkout.discountMinor > 0
      ? `<tr class="discount"><th colspan="4">${escapeHtml(checkout.discountLabel || 'Discount')}</th>
         <td>&minus;${money(checkout.discountMinor, currency)}</td></tr>`
      : '';
  const total = money(session.amountTotalMinor, currency);
  return layout(
    `Pay ${shopName}`,
    `<header><p class="shop">${escapeHtml(shopName)}</p><p class="mode">Test mode &middot; local checkout, no real payment</p></header>
    <h1>Pay ${escapeHtml(shopName)}</h1>
    <p class="amount"><span class="total">${total}</span> <span class="currency">${escapeHtml(currency)}</span></p>
    <table>
      <thead><tr><th></th><th>Item</th><th>Qty</th><th>Price</th><th>Total</th></tr></thead>
      <tbody>${rows}</tbody>
      <tfoot>
        <tr class="subtotal"><th colspan="4">Subtotal</th><td>${money(checkout.subtotalMinor, currency)}</td></tr>
        ${discount}
        <tr class="grand-total"><th colspan="4">Total due (${escapeHtml(currency)})</th><td>${total}</td></tr>
      </tfoot>
    </table>
    ${checkout.customerEmail ? `<p class="email">Receipt to ${escapeHtml(checkout.customerEmail)}</p>` : ''}
    <p class="expiry">This checkout expires at ${formatExpiry(session.expiresAt, now)}.</p>
    <form method="post" action="/checkout/${id}/pay"><button type="submit" class="pay">Pay ${total}</button></form>
    <form method="post" action="/checkout/${id}/cancel"><button type="submit" class="cancel">Cancel and go back to ${escapeHtml(shopName)}</button></form>`,
  );
}

/** A session that can no longer be paid: already paid, or expired. */
export function checkoutClosedPage(checkout: LocalCheckout, shopName: string): string {
  const paid = checkout.session.status === 'complete';
  const back = paid ? checkout.successUrl : checkout.cancelUrl;
  return layout(
    paid ? 'Already paid' : 'Checkout expired',
    `<header><p class="shop">${escapeHtml(shopName)}</p></header>
    <h1>${paid ? 'This order is already paid' : 'This checkout has expired'}</h1>
    <p>${
      paid
        ? `The payment of ${money(checkout.session.amountTotalMinor, checkout.session.currency)} went through; there is nothing more to pay.`
        : 'Nothing was charged. Go back to the shop to place the order again.'
    }</p>
    ${isWebUrl(back) ? `<p><a class="back" href="${escapeHtml(back)}">Back to ${escapeHtml(shopName)}</a></p>` : ''}`,
  );
}

export function checkoutNotFoundPage(shopName: string, shopUrl: string): string {
  return layout(
    'Checkout not found',
    `<header><p class="shop">${escapeHtml(shopName)}</p></header>
    <h1>There is no such checkout</h1>
    <p>The link may be mistyped, or the checkout belongs to another shop.</p>
    <p><a class="back" href="${escapeHtml(shopUrl)}">Back to ${escapeHtml(shopName)}</a></p>`,
  );
}

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;background:#f6f8fa;color:#1a1f36;margin:0}
main{max-width:36rem;margin:2rem auto;background:#fff;border-radius:.5rem;padding:1.5rem 2rem;box-shadow:0 1px 4px #0002}
header{display:flex;justify-content:space-between;align-items:baseline;color:#697386}
.shop{font-weight:600;color:#1a1f36}.mode{font-size:.8rem;background:#ffde92;color:#5b3b00;padding:.1rem .5rem;border-radius:.25rem}
.amount{font-size:2rem;font-weight:600;margin:.25rem 0 1rem}.currency{font-size:1rem;color:#697386}
table{border-collapse:collapse;width:100%}td,th{padding:.4rem;text-align:left;border-bottom:1px solid #e3e8ee}
td:last-child,tfoot th{text-align:right}tfoot th{font-weight:400}.grand-total th,.grand-total td{font-weight:600}
img{border-radius:.25rem;object-fit:cover}button{width:100%;padding:.8rem;border:0;border-radius:.4rem;font-size:1rem;margin-top:.75rem;cursor:pointer}
.pay{background:#635bff;color:#fff}.cancel{background:#fff;color:#635bff;border:1px solid #635bff}
.expiry,.email{color:#697386;font-size:.9rem}
</style></head><body><main>${body}</main></body></html>`;
}
