import type { ProductListRow } from './catalog.repository.js';
import type { ProductImageRow } from './catalog.tables.js';
import { toProduct } from './product.mapper.js';

/**
 * A product's card: the storefront's Product JSON without its braces, its id and its counters, kept
 * in `products.card`. The public list and detail read it instead of joining the category, brand and
 * photos and encoding them on every request; `productJson` puts the id and the counters (sold,
 * views, units available, version: what orders and views change) around it from the same row.
 *
 * What it holds changes only by an ADMIN's product edit or a rename of its category or brand; each
 * writes the card again in its own transaction (refreshCards), so a reader never sees a card older
 * than its row. Image URLs are kept as keys behind IMAGE_URL_MARK: the URL depends on where the API
 * is served from, so the mark becomes the blob store's prefix when the answer is made.
 */

/** A control character: JSON.stringify always escapes those, so it cannot occur in encoded data. */
export const IMAGE_URL_MARK = '\u0001';

/** The card of a product, from its row (names joined) and its images (main first). */
export function productCard(row: ProductListRow, images: ProductImageRow[]): string {
  const {
    id: _id,
    sold: _sold,
    view: _view,
    quantity: _quantity,
    version: _version,
    ...card
  } = toProduct(row, images, '');
  // `"url":"` cannot occur inside an encoded string (its quotes would be escaped), so this finds
  // exactly the image URLs, which are bare keys here (toProduct with an empty prefix).
  return JSON.stringify(card).slice(1, -1).replaceAll('"url":"', `"url":"${IMAGE_URL_MARK}`);
}

/** What a read of cards selects: the card and the counters kept beside it. */
export interface CardRow {
  id: number;
  sold_count: number;
  view_count: number;
  /** quantity - reserved_quantity: what can still be sold. */
  available: number;
  version: number;
  card: string | null;
}

/**
 * A product's JSON, as JSON.stringify(toProduct(...)) gives it, from its card and the counters of
 * its row; image URLs are still marked (withImageUrls makes them absolute, once for a whole answer).
 */
export function productJson(row: CardRow, card: string): string {
  return `{"id":${row.id},${card},"sold":${row.sold_count},"view":${row.view_count},"quantity":${row.available},"version":${row.version}}`;
}

/** Puts the blob store's URL prefix (`BlobStore.urlPrefix`) where JSON made of cards marks an image URL. */
export function withImageUrls(json: string, urlPrefix: string): string {
  const prefix = JSON.stringify(urlPrefix).slice(1, -1);
  // A function, so `$&` and the like in the prefix are not read as replacement patterns.
  return json.replaceAll(IMAGE_URL_MARK, () => prefix);
}
