import { toDecimal } from '../../shared/money.js';
import type { CouponQuote } from '../coupons/coupons.client.js';
import type { CartDeps, ProductSnapshot } from './cart.deps.js';
import type { CartDetailDto, CartHeaderDto } from './cart.schemas.js';
import type { CartHeaderRow, CartLineRow } from './cart.tables.js';

export interface PricedLine {
  row: CartLineRow;
  snapshot: ProductSnapshot;
  lineTotalMinor: number;
}

/** A cart at current catalog prices with its coupon evaluated now; everything in minor units. */
export interface PricedCart {
  header: CartHeaderRow;
  /** Lines whose product is still sold, in the order given (getcart: newest first). */
  lines: PricedLine[];
  /** Products looked up so far (reused by callers that echo lines). */
  products: Map<number, ProductSnapshot>;
  subtotalMinor: number;
  discountMinor: number;
  totalMinor: number;
  /** The coupon code when it applies now, else ''. */
  appliedCouponCode: string;
  /** Sentences for the shopper: products left out, stock short, a coupon that does not apply. */
  notes: string[];
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/**
 * Prices the cart's lines with one batched catalog look-up (only for products not in `known`) and
 * the coupon with the coupons domain's pricing rule. Unknown or deleted products are left out with a
 * note; a coupon that does not apply is noted and not deducted. Client-sent prices never get here.
 */
export async function priceCart(
  deps: CartDeps,
  header: CartHeaderRow,
  rows: CartLineRow[],
  known: Map<number, ProductSnapshot>,
  baseUrl: string,
): Promise<PricedCart> {
  const missing = [...new Set(rows.map((r) => r.product_id).filter((id) => !known.has(id)))];
  const products =
    missing.length === 0
      ? known
      : new Map([...known, ...(await deps.products.getProducts(missing, baseUrl))]);

  const notes: string[] = [];
  const lines: PricedLine[] = [];
  let dropped = 0;
  for (const row of rows) {
    const snapshot = products.get(row.product_id);
    if (!snapshot) {
      dropped++;
      continue;
    }
    lines.push({ row, snapshot, lineTotalMinor: snapshot.priceMinor * row.count });
    const inStock = snapshot.product.quantity;
    if (row.count > inStock) {
      notes.push(
        inStock <= 0
          ? `${snapshot.product.name} is out of stock.`
          : `Only ${inStock} of ${snapshot.product.name} ${plural(inStock, 'is', 'are')} in stock.`,
      );
    }
  }
  if (dropped > 0) {
    notes.unshift(
      `${dropped} ${plural(dropped, 'product in your cart is', 'products in your cart are')} no longer sold and ${plural(dropped, 'was', 'were')} left out.`,
    );
  }

  const subtotalMinor = lines.reduce((sum, line) => sum + line.lineTotalMinor, 0);
  let quote: CouponQuote | undefined;
  if (header.coupon_code) {
    quote = await deps.coupons.quote(header.coupon_code, subtotalMinor, header.user_id);
    if (!quote.applies && lines.length > 0) notes.push(`${quote.message} It was not deducted.`);
  }
  const discountMinor = quote?.applies ? quote.discountMinor : 0;
  return {
    header,
    lines,
    products,
    subtotalMinor,
    discountMinor,
    totalMinor: subtotalMinor - discountMinor,
    appliedCouponCode: quote?.applies ? quote.couponCode : '',
    notes,
  };
}

export function headerDto(priced: PricedCart): CartHeaderDto {
  return {
    cartHeaderId: priced.header.id,
    userId: priced.header.user_id,
    couponCode: priced.header.coupon_code ?? '',
    discount: toDecimal(priced.discountMinor),
    cartTotal: toDecimal(priced.totalMinor),
  };
}

export function detailDtos(priced: PricedCart): CartDetailDto[] {
  return priced.lines.map(({ row, snapshot }) => ({
    cartDetailsId: row.id,
    cartHeaderId: row.cart_header_id,
    productId: row.product_id,
    count: row.count,
    product: snapshot.product,
  }));
}
