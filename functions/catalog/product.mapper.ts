import { toDecimal } from '../../shared/money.js';
import type { ProductListRow } from './catalog.repository.js';
import type { Product } from './catalog.schemas.js';
import type { ProductImageRow } from './catalog.tables.js';

/**
 * Rows to the storefront's Product: decimal money, a rating in stars, absolute image URLs (the blob
 * store's `urlPrefix` followed by the key). The id comes first and the counters orders and views
 * change come last, the order productJson (product-card.ts) writes them in.
 */
export function toProduct(row: ProductListRow, images: ProductImageRow[], urlPrefix: string): Product {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    price: toDecimal(row.price_minor),
    priceBeforeDiscount: toDecimal(row.price_before_discount_minor),
    rating: row.rating_tenths / 10,
    categoryId: row.category_id,
    categoryName: row.category_name,
    brandId: row.brand_id,
    brandName: row.brand_name,
    images: images.map((image) => ({
      id: image.id,
      url: urlPrefix + image.blob_key,
      description: image.description,
      isMain: image.is_main,
      dateAdded: image.created_at.toISOString(),
    })),
    sold: row.sold_count,
    view: row.view_count,
    quantity: availableUnits(row),
    version: row.version,
  };
}

/** What can still be sold: on hand minus what unpaid orders hold (the storefront's `quantity`). */
export function availableUnits(row: { quantity: number; reserved_quantity: number }): number {
  return row.quantity - row.reserved_quantity;
}

/** Groups image rows (already ordered main first) by product id. */
export function imagesByProduct(images: ProductImageRow[]): Map<number, ProductImageRow[]> {
  const byProduct = new Map<number, ProductImageRow[]>();
  for (const image of images) {
    const list = byProduct.get(image.product_id);
    if (list) list.push(image);
    else byProduct.set(image.product_id, [image]);
  }
  return byProduct;
}

/** Names compare without case or surrounding spaces (Azure SQL's collation ignores case; SQLite's does not). */
export function nameKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase();
}

/** Distinct positive ids in groups small enough for one `in (...)` (T-SQL allows 2,100 parameters). */
export function chunks(ids: number[], size = 1000): number[][] {
  const distinct = [...new Set(ids)];
  const out: number[][] = [];
  for (let i = 0; i < distinct.length; i += size) out.push(distinct.slice(i, i + size));
  return out;
}
