import { CartEmailRequested } from '../../shared/events/catalogue.js';
import { AppError, badRequest, forbidden, notFound } from '../../shared/http/errors.js';
import type { Caller } from '../../shared/http/types.js';
import { minutes } from '../../shared/time/clock.js';
import type { CartDeps, ProductSnapshot } from './cart.deps.js';
import { detailDtos, headerDto, priceCart, type PricedCart } from './cart.pricing.js';
import * as repo from './cart.repository.js';
import {
  MAX_LINES,
  type ApplyCouponInput,
  type CartDto,
  type EmailCartInput,
  type UpsertCartInput,
} from './cart.schemas.js';
import type { CartHeaderRow, CartLineRow } from './cart.tables.js';

/** What a cart route answers: the cart (or null when the user has none) and a message for the shopper. */
export interface CartResult {
  cart: CartDto | null;
  message: string;
}

const EMAIL_INTERVAL_MS = minutes(1);

/** The caller is the token's sub: another user's id is refused unless the caller is an ADMIN. */
export function ownerOf(caller: Caller, userId: string | null | undefined): string {
  const wanted = userId?.trim() || caller.userId;
  if (wanted !== caller.userId && !caller.isAdmin) throw forbidden('You can only use your own cart.');
  return wanted;
}

const sentence = (...parts: string[]) => parts.filter((p) => p !== '').join(' ');

const tooManyLines = () =>
  badRequest(
    `A cart holds at most ${MAX_LINES} different products. Remove some before adding more.`,
    'cartDetails',
  );

async function ensureCart(deps: CartDeps, userId: string): Promise<CartHeaderRow> {
  const found = await repo.findCartByUser(deps.db, userId);
  if (found) return found;
  await repo.createCartIfMissing(deps.db, userId, deps.clock.now());
  const created = await repo.findCartByUser(deps.db, userId);
  if (!created) throw new Error(`the cart of ${userId} was not created`);
  return created;
}

/** The cart as every route answers it; `known` products are not looked up again. */
async function present(
  deps: CartDeps,
  header: CartHeaderRow,
  baseUrl: string,
  lead = '',
  known = new Map<number, ProductSnapshot>(),
): Promise<CartResult> {
  const priced = await priceCart(deps, header, await repo.listLines(deps.db, header.id), known, baseUrl);
  return {
    cart: { cartHeader: headerDto(priced), cartDetails: detailDtos(priced) },
    message: sentence(lead, ...priced.notes),
  };
}

/** The user's cart, lines newest first, at current prices; null when the user has no cart. */
export async function getCart(
  deps: CartDeps,
  caller: Caller,
  userId: string,
  baseUrl: string,
): Promise<CartResult> {
  const owner = ownerOf(caller, userId);
  const header = await repo.findCartByUser(deps.db, owner);
  return header ? present(deps, header, baseUrl) : { cart: null, message: '' };
}

/**
 * Sets the count of each posted line (0 removes it), creating the cart if missing. Products must be
 * sold and in stock for the count; the cart holds at most MAX_LINES products. Everything is checked
 * before anything is written, and the lines change in one transaction that first locks the header,
 * so concurrent upserts of one cart queue up and each leaves a valid cart. The answer echoes the
 * posted lines in posted order, with ids filled and current products; the header is the whole cart.
 */
export async function upsertCart(
  deps: CartDeps,
  caller: Caller,
  input: UpsertCartInput,
  baseUrl: string,
): Promise<CartResult> {
  const owner = ownerOf(caller, input.cartHeader?.userId);
  const posted = input.cartDetails;
  const existing = await repo.findCartByUser(deps.db, owner);
  const existingLines = existing ? await repo.listLines(deps.db, existing.id) : [];
  const ids = [...new Set([...posted.map((l) => l.productId), ...existingLines.map((l) => l.product_id)])];
  const products = await deps.products.getProducts(ids, baseUrl);

  checkLines(posted, products);
  const after = new Set(existingLines.map((l) => l.product_id));
  for (const line of posted) {
    if (line.count === 0) after.delete(line.productId);
    else after.add(line.productId);
  }
  if (after.size > MAX_LINES) throw tooManyLines();

  const cart = existing ?? (await ensureCart(deps, owner));
  const { header, rows } = await deps.transaction(async (trx) => {
    const now = deps.clock.now();
    await repo.lockCart(trx, cart.id, now);
    const header = (await repo.findCartByUser(trx, owner)) ?? cart;
    for (const line of posted) {
      if (line.count === 0) await repo.deleteLineOfProduct(trx, header.id, line.productId);
      else if (!(await repo.setLineCount(trx, header.id, line.productId, line.count, now))) {
        await repo.insertLine(trx, {
          cartId: header.id,
          productId: line.productId,
          count: line.count,
          at: now,
        });
      }
    }
    const lines = await repo.listLines(trx, header.id);
    if (lines.length > MAX_LINES) throw tooManyLines();
    return { header, rows: lines };
  });

  const priced = await priceCart(deps, header, rows, products, baseUrl);
  return {
    cart: { cartHeader: headerDto(priced), cartDetails: echo(posted, rows, priced, header.id) },
    message: sentence('Cart updated.', ...priced.notes),
  };
}

function checkLines(posted: UpsertCartInput['cartDetails'], products: Map<number, ProductSnapshot>): void {
  for (const line of posted) {
    if (line.count === 0) continue;
    const snapshot = products.get(line.productId);
    if (!snapshot) throw notFound(`Product ${line.productId} does not exist or is no longer sold.`);
    const inStock = snapshot.product.quantity;
    if (line.count > inStock) {
      throw new AppError(
        'bad_request',
        inStock <= 0
          ? `${snapshot.product.name} is out of stock.`
          : `Only ${inStock} of ${snapshot.product.name} ${inStock === 1 ? 'is' : 'are'} in stock.`,
        { field: 'count' },
      );
    }
  }
}

function echo(
  posted: UpsertCartInput['cartDetails'],
  rows: CartLineRow[],
  priced: PricedCart,
  cartId: number,
) {
  const byProduct = new Map(rows.map((r) => [r.product_id, r]));
  return posted.map((line) => {
    const row = line.count === 0 ? undefined : byProduct.get(line.productId);
    return {
      cartDetailsId: row?.id ?? 0,
      cartHeaderId: cartId,
      productId: line.productId,
      count: line.count,
      product: priced.products.get(line.productId)?.product ?? null,
    };
  });
}

/**
 * Removes lines of the caller's own cart by id. Ids that are not lines of that cart make it a 404
 * and nothing is removed.
 */
export async function removeLines(
  deps: CartDeps,
  caller: Caller,
  lineIds: number[],
  baseUrl: string,
): Promise<CartResult> {
  const ids = [...new Set(lineIds)];
  const header = await repo.findCartByUser(deps.db, caller.userId);
  const notInCart = (missing: number[]) =>
    notFound(
      `${missing.length === 1 ? 'Cart line' : 'Cart lines'} ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in your cart.`,
    );
  if (!header) throw notInCart(ids);
  await deps.transaction(async (trx) => {
    await repo.lockCart(trx, header.id, deps.clock.now());
    const found = new Set(await repo.findLineIds(trx, header.id, ids));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) throw notInCart(missing);
    await repo.deleteLines(trx, header.id, ids);
  });
  return present(
    deps,
    header,
    baseUrl,
    ids.length === 1 ? 'Removed 1 line.' : `Removed ${ids.length} lines.`,
  );
}

/**
 * Applies a coupon to the cart (creating the cart if missing). A code that does not exist, or that
 * cannot apply whatever the cart holds (inactive, not started, expired, used up), is refused; one the
 * cart is below the minimum for is kept, noted, and deducted once the cart reaches it. An empty code
 * removes the coupon, as the storefront did before removecoupon existed.
 */
export async function applyCoupon(
  deps: CartDeps,
  caller: Caller,
  input: ApplyCouponInput,
  baseUrl: string,
): Promise<CartResult> {
  const owner = ownerOf(caller, input.userId);
  const code = (input.couponCode ?? '').trim();
  if (code === '') return removeCoupon(deps, caller, { userId: owner }, baseUrl);

  // Judged before anything is written: a refused code leaves no cart behind (a missing cart is empty).
  const existing = await repo.findCartByUser(deps.db, owner);
  const priced = existing
    ? await priceCart(deps, existing, await repo.listLines(deps.db, existing.id), new Map(), baseUrl)
    : undefined;
  const quote = await deps.coupons.quote(code, priced?.subtotalMinor ?? 0, owner);
  if (quote.reason !== null && quote.reason !== 'below_minimum') {
    throw new AppError('bad_request', quote.message, { field: 'couponCode' });
  }
  const header = existing ?? (await ensureCart(deps, owner));
  await repo.setCartCoupon(deps.db, header.id, quote.couponCode, deps.clock.now());
  const updated = { ...header, coupon_code: quote.couponCode };
  const lead = quote.applies ? `Coupon ${quote.couponCode} applied.` : '';
  return present(deps, updated, baseUrl, lead, priced?.products);
}

export async function removeCoupon(
  deps: CartDeps,
  caller: Caller,
  input: { userId?: string | null },
  baseUrl: string,
): Promise<CartResult> {
  const owner = ownerOf(caller, input.userId);
  const header = await repo.findCartByUser(deps.db, owner);
  if (!header) return { cart: null, message: 'There is no coupon to remove.' };
  await repo.setCartCoupon(deps.db, header.id, null, deps.clock.now());
  return present(
    deps,
    { ...header, coupon_code: null },
    baseUrl,
    header.coupon_code ? 'Coupon removed.' : '',
  );
}

/**
 * Asks for the cart to be emailed to its owner: CartEmailRequested goes through the cart's outbox in
 * the same transaction that records the request, at most once a minute per cart.
 */
export async function requestCartEmail(
  deps: CartDeps,
  caller: Caller,
  input: EmailCartInput,
  baseUrl: string,
): Promise<string> {
  const owner = ownerOf(caller, input.userId);
  const email = input.email?.trim().toLowerCase() || '';
  const ownEmail = caller.email.trim().toLowerCase();
  if (email !== '' && email !== ownEmail && !caller.isAdmin)
    throw forbidden('You can only email your cart to yourself.');
  const to = owner === caller.userId ? ownEmail : email;

  const header = await repo.findCartByUser(deps.db, owner);
  const priced = header
    ? await priceCart(deps, header, await repo.listLines(deps.db, header.id), new Map(), baseUrl)
    : undefined;
  if (!header || !priced || priced.lines.length === 0)
    throw badRequest('The cart is empty: there is nothing to email.');

  await deps.transaction(async (trx, emit) => {
    const now = deps.clock.now();
    if (!(await repo.claimCartEmail(trx, header.id, now, new Date(now.getTime() - EMAIL_INTERVAL_MS)))) {
      throw new AppError(
        'too_many_requests',
        'This cart was emailed a moment ago. Please wait a minute before asking again.',
        {
          headers: { 'retry-after': '60' },
        },
      );
    }
    await emit(CartEmailRequested, {
      userId: owner,
      email: to,
      cartHeaderId: header.id,
      couponCode: priced.appliedCouponCode,
      currency: deps.currency,
      subtotalMinor: priced.subtotalMinor,
      discountMinor: priced.discountMinor,
      totalMinor: priced.totalMinor,
      lines: priced.lines.map(({ row, snapshot, lineTotalMinor }) => ({
        productId: row.product_id,
        name: snapshot.product.name,
        imageUrl: snapshot.product.images[0]?.url ?? '',
        count: row.count,
        unitPriceMinor: snapshot.priceMinor,
        lineTotalMinor,
      })),
    });
  });
  // The request is recorded (CartEmailRequested); sending it is the email domain's job, so the
  // answer says what happened, not that an email has left.
  return to === ''
    ? 'We have your request to email this cart to its owner.'
    : `We have your request to email this cart to ${to}.`;
}
