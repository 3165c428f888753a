import { MINOR_DIGITS } from '../../shared/money.js';

/**
 * What each template is given. Values are display-ready strings (amounts formatted, links built):
 * the templates only place them, and the engine escapes each one in the HTML.
 */

/** Every template also gets the shop (the renderer adds it). */
export interface ShopView {
  name: string;
  url: string;
}

export interface LineView {
  name: string;
  count: number;
  unitPrice: string;
  lineTotal: string;
  /** An http(s) URL of the product's photo, or '' (then none is shown). */
  imageUrl: string;
}

/** Lines and totals, as an order or a cart shows them (the `lines` partial). */
export interface BasketView {
  lines: LineView[];
  subtotal: string;
  hasDiscount: boolean;
  discount: string;
  /** '' when no coupon applies. */
  couponCode: string;
  total: string;
}

export interface OrderView extends BasketView {
  orderId: number;
}

export interface TemplateViews {
  welcome: { name: string; shopLink: string };
  'password-reset': { name: string; resetLink: string; token: string; validMinutes: number };
  'password-changed': { name: string; wasReset: boolean; shopLink: string };
  'order-confirmation': { name: string; order: OrderView; ordersLink: string };
  'new-order-notice': { customerName: string; customerEmail: string; order: OrderView; ordersLink: string };
  'order-cancelled': {
    name: string;
    orderId: number;
    total: string;
    /** Why, as a phrase: "you cancelled it". */
    reason: string;
    refundFollows: boolean;
    ordersLink: string;
  };
  'refund-confirmed': { name: string; orderId: number; amount: string; ordersLink: string };
  'points-granted': { name: string; orderId: number; points: number; balance: number; ordersLink: string };
  cart: { name: string; basket: BasketView; cartLink: string };
}

export type TemplateName = keyof TemplateViews;

export const templateNames: TemplateName[] = [
  'welcome',
  'password-reset',
  'password-changed',
  'order-confirmation',
  'new-order-notice',
  'order-cancelled',
  'refund-confirmed',
  'points-granted',
  'cart',
];

const unit = 10 ** MINOR_DIGITS;

/** `AUD 1,234.50`: integer arithmetic on minor units, no floating point. */
export function formatMoney(minor: number, currency: string): string {
  const abs = Math.abs(minor);
  const whole = Math.trunc(abs / unit).toLocaleString('en-US');
  const fraction = String(abs % unit).padStart(MINOR_DIGITS, '0');
  return `${currency} ${minor < 0 ? '-' : ''}${whole}.${fraction}`;
}

/** Only http(s) URLs reach an href or src: the engine escapes text, not a `javascript:` scheme. */
export function safeUrl(value: string): string {
  return URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol) ? value : '';
}

export interface PricedLine {
  name: string;
  imageUrl: string;
  count: number;
  unitPriceMinor: number;
  lineTotalMinor: number;
}

/** An order's or a cart's lines and totals as the `lines` partial shows them. */
export function basketView(
  basket: {
    lines: PricedLine[];
    subtotalMinor: number;
    discountMinor: number;
    totalMinor: number;
    couponCode: string;
  },
  currency: string,
): BasketView {
  const money = (minor: number) => formatMoney(minor, currency);
  return {
    lines: basket.lines.map((line) => ({
      name: line.name,
      count: line.count,
      unitPrice: money(line.unitPriceMinor),
      lineTotal: money(line.lineTotalMinor),
      imageUrl: safeUrl(line.imageUrl),
    })),
    subtotal: money(basket.subtotalMinor),
    hasDiscount: basket.discountMinor > 0,
    discount: money(basket.discountMinor),
    couponCode: basket.couponCode,
    total: money(basket.totalMinor),
  };
}
