import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { OrderCancelled, OrderPaid } from '../../../shared/events/catalogue.js';
import { pngImage } from '../../../shared/testing/images.js';
import type { TestHost } from '../../../shared/testing/test-host.js';
import type { CatalogTables } from '../catalog.tables.js';

/**
 * Test data for the catalog: tokens, image files, a product form builder with defaults, and the
 * order events the catalog reacts to.
 */

export function adminToken(host: TestHost): string {
  return host.mintToken({
    sub: randomUUID(),
    sid: randomUUID(),
    email: 'admin@shop.test',
    roles: ['ADMIN'],
  });
}

export function customerToken(host: TestHost): string {
  return host.mintToken({
    sub: randomUUID(),
    sid: randomUUID(),
    email: 'shopper@shop.test',
    roles: ['CUSTOMER'],
  });
}

// Made once as the module loads (sharp is asynchronous), so the builders below stay synchronous.
const smallPng = await pngImage({ width: 2 });
/** Noise does not compress: a 64×64 PNG of it is about 16 KiB. Add a size here to use it. */
const noisyPngs = { 64: await pngImage({ width: 64, noise: true }) } as const;

/** A real PNG of a few pixels (the pipeline checks the type by content). */
export function pngBytes(): Buffer {
  return smallPng;
}

export function pngFile(name = 'photo.png'): File {
  return new File([new Uint8Array(smallPng)], name, { type: 'image/png' });
}

/** A PNG of noise, which does not compress: about 4 × size² bytes. */
export function noisyPngFile(name: string, size: keyof typeof noisyPngs): File {
  return new File([new Uint8Array(noisyPngs[size])], name, { type: 'image/png' });
}

let counter = 0;
const unique = () => `${++counter}-${randomUUID().slice(0, 6)}`;

export class ProductBuilder {
  readonly #fields = new Map<string, string>([
    ['name', `Product ${unique()}`],
    ['description', '<p>A fine product.</p>'],
    ['price', '10.00'],
    ['quantity', '5'],
    ['rating', '4'],
  ]);
  #photos: File[] = [pngFile()];

  named(name: string): this {
    return this.with('name', name);
  }
  priced(price: string, priceBeforeDiscount?: string): this {
    this.with('price', price);
    return priceBeforeDiscount === undefined ? this : this.with('priceBeforeDiscount', priceBeforeDiscount);
  }
  withQuantity(quantity: number | string): this {
    return this.with('quantity', String(quantity));
  }
  rated(rating: number | string): this {
    return this.with('rating', String(rating));
  }
  inCategory(id: number): this {
    return this.with('categoryId', String(id));
  }
  ofBrand(id: number): this {
    return this.with('brandId', String(id));
  }
  describedAs(html: string): this {
    return this.with('description', html);
  }
  withPhotos(...photos: File[]): this {
    this.#photos = photos;
    return this;
  }
  with(field: string, value: string): this {
    this.#fields.set(field, value);
    return this;
  }
  without(field: string): this {
    this.#fields.delete(field);
    return this;
  }
  get name(): string {
    return this.#fields.get('name') ?? '';
  }

  form(): FormData {
    const form = new FormData();
    for (const [key, value] of this.#fields) form.append(key, value);
    for (const photo of this.#photos) form.append('imagePhotos', photo, photo.name);
    return form;
  }
}

export const aProduct = () => new ProductBuilder();

/**
 * A catalog to test against, through the API as an ADMIN would build it: categories and brands
 * created on demand, products created from builders (in a default category and brand if none given).
 */
export class CatalogFixture {
  readonly token: string;
  #defaults: { categoryId: number; brandId: number } | undefined;

  constructor(readonly host: TestHost) {
    this.token = adminToken(host);
  }

  async category(name = `Category ${unique()}`): Promise<number> {
    return this.#createNamed('categories', name);
  }

  async brand(name = `Brand ${unique()}`): Promise<number> {
    return this.#createNamed('brands', name);
  }

  async defaults(): Promise<{ categoryId: number; brandId: number }> {
    this.#defaults ??= { categoryId: await this.category(), brandId: await this.brand() };
    return this.#defaults;
  }

  /** Creates the product; fails the test unless the API accepts it. Returns its id. */
  async product(builder: ProductBuilder = aProduct()): Promise<number> {
    const { categoryId, brandId } = await this.defaults();
    const form = builder.form();
    if (!form.has('categoryId')) form.set('categoryId', String(categoryId));
    if (!form.has('brandId')) form.set('brandId', String(brandId));
    const res = await this.host.call('POST', '/api/product', { form, token: this.token });
    if (res.status !== 200 || typeof res.body.data !== 'number')
      throw new Error(`create product failed: ${res.text}`);
    return res.body.data;
  }

  async #createNamed(kind: 'categories' | 'brands', name: string): Promise<number> {
    const res = await this.host.call('POST', `/api/product/${kind}`, { json: { name }, token: this.token });
    const data = res.body.data as { id?: unknown } | null;
    if (res.status !== 200 || typeof data?.id !== 'number')
      throw new Error(`create ${kind} failed: ${res.text}`);
    return data.id;
  }
}

/** The catalog's stock rows, for tests of other domains that check what an order did to stock. */
export const catalogStock = {
  reservationIds: (host: TestHost) =>
    host.platform
      .database<CatalogTables>('catalog')
      .db.selectFrom('stock_reservations')
      .select('id')
      .execute(),
  of: (host: TestHost, productId: number) =>
    host.platform
      .database<CatalogTables>('catalog')
      .db.selectFrom('products')
      .select(['quantity', 'reserved_quantity', 'sold_count'])
      .where('id', '=', productId)
      .executeTakeFirstOrThrow(),
};

export interface OrderLine {
  productId: number;
  count: number;
}

const customer = (orderId: number) => ({
  orderId,
  userId: randomUUID(),
  email: 'shopper@shop.test',
  name: 'Sam Shopper',
  currency: 'AUD',
});

/** An OrderPaid payload: the catalog reads only its order id; the lines are there to look real. */
export function anOrderPaid(orderId: number, lines: OrderLine[]): z.infer<typeof OrderPaid.schema> {
  const priced = lines.map((l) => ({
    ...l,
    name: `Product ${l.productId}`,
    imageUrl: `http://shop.test/media/${l.productId}.png`,
    unitPriceMinor: 10_00,
    lineTotalMinor: l.count * 10_00,
  }));
  const total = priced.reduce((sum, l) => sum + l.lineTotalMinor, 0);
  return {
    ...customer(orderId),
    lines: priced,
    subtotalMinor: total,
    discountMinor: 0,
    totalMinor: total,
    couponCode: '',
    paymentIntentId: `pi_${orderId}`,
    paidAt: new Date().toISOString(),
  };
}

/** An OrderCancelled payload (`wasPaid`: a refund follows). */
export function anOrderCancelled(
  orderId: number,
  lines: OrderLine[],
  wasPaid = false,
): z.infer<typeof OrderCancelled.schema> {
  return {
    ...customer(orderId),
    totalMinor: lines.reduce((sum, l) => sum + l.count * 10_00, 0),
    wasPaid,
    reason: wasPaid ? 'admin' : 'payment_expired',
    lines,
  };
}
