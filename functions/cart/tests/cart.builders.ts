import { randomUUID } from 'node:crypto';
import { pngImage } from '../../../shared/testing/images.js';
import type { TestHost } from '../../../shared/testing/test-host.js';
import type { ProductSnapshot } from '../cart.deps.js';
import type { Product } from '../../catalog/catalog.client.js';

/** Test data for the cart: shoppers with tokens, products in the real catalog, storefront request bodies. */

export interface Shopper {
  userId: string;
  email: string;
  token: string;
}

export function aShopper(host: TestHost, roles: string[] = ['CUSTOMER']): Shopper {
  const userId = randomUUID();
  const email = `${userId.slice(0, 8)}@shop.test`;
  return { userId, email, token: host.mintToken({ sub: userId, sid: 's1', email, roles }) };
}

export const anAdmin = (host: TestHost): Shopper => aShopper(host, ['ADMIN']);

// Made once as the module loads (sharp is asynchronous).
const photo = await pngImage({ width: 2 });

function png(): File {
  return new File([new Uint8Array(photo)], 'photo.png', { type: 'image/png' });
}

let sequence = 0;

/**
 * The catalog as the storefront's ADMIN pages build it, through the catalog's public routes only
 * (storefront-api.md, Catalog): the cart is tested against the real catalog, never a copy of it.
 */
export class Catalog {
  #defaults: Promise<{ categoryId: number; brandId: number }> | undefined;

  constructor(readonly host: TestHost) {}

  /** A fresh token each time: tests move the clock past a token's lifetime. */
  get #admin(): Shopper {
    return anAdmin(this.host);
  }

  /** Creates a product and returns it as the catalog shows it. */
  async product(fields: { price?: string; quantity?: number; name?: string } = {}): Promise<Product> {
    const { categoryId, brandId } = await this.#ensureDefaults();
    const form = new FormData();
    form.set('name', fields.name ?? `Cart item ${++sequence}-${randomUUID().slice(0, 6)}`);
    form.set('description', '<p>For the cart.</p>');
    form.set('price', fields.price ?? '10.00');
    form.set('quantity', String(fields.quantity ?? 20));
    form.set('rating', '4');
    form.set('categoryId', String(categoryId));
    form.set('brandId', String(brandId));
    form.append('imagePhotos', png(), 'photo.png');
    const res = await this.host.call('POST', '/api/product', { form, token: this.#admin.token });
    if (res.status !== 200 || typeof res.body.data !== 'number')
      throw new Error(`creating a product failed: ${res.text}`);
    return this.get(res.body.data);
  }

  async get(productId: number): Promise<Product> {
    const res = await this.host.call('GET', `/api/product/${productId}`);
    if (res.status !== 200) throw new Error(`reading product ${productId} failed: ${res.text}`);
    return res.body.data as Product;
  }

  async update(productId: number, fields: { price?: string; quantity?: number }): Promise<void> {
    const form = new FormData();
    form.set('id', String(productId));
    if (fields.price !== undefined) {
      form.set('price', fields.price);
      form.set('priceBeforeDiscount', fields.price);
    }
    if (fields.quantity !== undefined) form.set('quantity', String(fields.quantity));
    const res = await this.host.call('PUT', '/api/product', { form, token: this.#admin.token });
    if (res.status !== 200) throw new Error(`updating product ${productId} failed: ${res.text}`);
  }

  async remove(productId: number): Promise<void> {
    const res = await this.host.call('DELETE', `/api/product/${productId}`, { token: this.#admin.token });
    if (res.status !== 200) throw new Error(`deleting product ${productId} failed: ${res.text}`);
  }

  #ensureDefaults() {
    this.#defaults ??= (async () => ({
      categoryId: await this.#named('categories'),
      brandId: await this.#named('brands'),
    }))();
    return this.#defaults;
  }

  async #named(kind: 'categories' | 'brands'): Promise<number> {
    const res = await this.host.call('POST', `/api/product/${kind}`, {
      json: { name: `${kind} ${randomUUID().slice(0, 8)}` },
      token: this.#admin.token,
    });
    const data = res.body.data as { id?: unknown } | null;
    if (res.status !== 200 || typeof data?.id !== 'number')
      throw new Error(`creating ${kind} failed: ${res.text}`);
    return data.id;
  }
}

/**
 * The body the storefront posts to cartupsert: the header with `cartHeaderId: 0` and an empty
 * coupon, and each line carrying the whole product it shows (which the server must ignore).
 */
export function aCartUpsert(userId: string | undefined) {
  const lines: Record<string, unknown>[] = [];
  const builder = {
    line(product: Product | { id: number }, count: number, extra: Record<string, unknown> = {}) {
      lines.push({ cartDetailsId: 0, cartHeaderId: 0, productId: product.id, count, product, ...extra });
      return builder;
    },
    build() {
      return {
        cartHeader: { userId, cartHeaderId: 0, couponCode: '', discount: 0, cartTotal: 0 },
        cartDetails: lines.map((l) => ({ ...l })),
      };
    },
  };
  return builder;
}

/** A product snapshot for unit tests with a fake look-up. */
export function aSnapshot(id: number, priceMinor = 10_00, quantity = 50): ProductSnapshot {
  return {
    priceMinor,
    product: {
      id,
      name: `Product ${id}`,
      description: '',
      price: priceMinor / 100,
      priceBeforeDiscount: priceMinor / 100,
      rating: 4,
      sold: 0,
      view: 0,
      quantity,
      categoryId: 1,
      categoryName: 'Category',
      brandId: 1,
      brandName: 'Brand',
      images: [
        {
          id,
          url: `http://shop.test/media/${id}.png`,
          description: '',
          isMain: true,
          dateAdded: '2026-01-01T00:00:00.000Z',
        },
      ],
      version: 1,
    },
  };
}
