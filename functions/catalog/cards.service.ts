import type { Platform } from '../../shared/platform/platform.js';
import { catalogDeps, type CatalogDeps } from './catalog.deps.js';
import * as repo from './catalog.repository.js';
import type { ProductListRow } from './catalog.repository.js';
import type { CatalogDb, ProductImageRow } from './catalog.tables.js';
import { chunks, imagesByProduct } from './product.mapper.js';
import { productCard, productJson, type CardRow } from './product-card.js';

/** Product cards (product-card.ts): written with every change to what they hold, read by the public GETs. */

/**
 * These live products' rows (names joined) with their images (main first), in one statement of
 * each per 1,000 ids; deleted or unknown ids have none. What cards and the catalog's client are made from.
 */
export async function liveProductsWithImages(
  db: CatalogDb,
  ids: number[],
): Promise<{ row: ProductListRow; images: ProductImageRow[] }[]> {
  const out: { row: ProductListRow; images: ProductImageRow[] }[] = [];
  for (const chunk of chunks(ids)) {
    const [rows, images] = await Promise.all([
      repo.findLiveProductsByIds(db, chunk),
      repo.findImagesOf(db, chunk).then(imagesByProduct),
    ]);
    for (const row of rows) out.push({ row, images: images.get(row.id) ?? [] });
  }
  return out;
}

/** The cards of these live products, made from their rows (deleted or unknown ids have none). */
export async function cardsOf(db: CatalogDb, ids: number[]): Promise<Map<number, string>> {
  const products = await liveProductsWithImages(db, ids);
  return new Map(products.map(({ row, images }) => [row.id, productCard(row, images)]));
}

/**
 * Writes the cards of these products again. Called in the transaction of every change to what a
 * card holds (a product's create and edit, a rename of its category or brand), after the change.
 * The rows are locked before they are read (lockProducts), so two transactions that both touch a
 * product (an edit and a rename of its brand) write its card one after the other, the second from
 * what the first committed.
 */
export async function refreshCards(trx: CatalogDb, ids: number[]): Promise<void> {
  for (const chunk of chunks(ids)) {
    await repo.lockProducts(trx, chunk);
    for (const [id, card] of await cardsOf(trx, chunk)) await repo.saveCard(trx, id, card);
  }
}

/** Cards are rewritten this many products to a transaction: a few hundred row locks each, never the table's. */
const CARDS_PER_TRANSACTION = 500;

async function refreshInBatches(deps: CatalogDeps, ids: number[]): Promise<void> {
  for (const batch of chunks(ids, CARDS_PER_TRANSACTION)) {
    await deps.transaction((trx) => refreshCards(trx, batch));
  }
}

/**
 * The catalog's bootstrap: writes the cards of live products that have none (products saved before
 * cards existed, or after a migration emptied them for a new shape). One statement when all have one.
 */
export async function writeMissingCards(platform: Platform): Promise<void> {
  const deps = catalogDeps(platform);
  const ids = await repo.findCardlessProductIds(deps.db);
  if (ids.length === 0) return;
  await refreshInBatches(deps, ids);
  deps.log.info('wrote the product cards', { products: ids.length });
}

/**
 * After a deployment (`npm run db:migrate -- --after-deploy`, azd's postdeploy hook): rewrites every
 * live product's card. The migrations run before the new code goes live; an edit or a rename made
 * by the previous version in between (or while a rollback ran) changed rows but not their cards.
 */
export async function rewriteEveryCard(platform: Platform): Promise<void> {
  const deps = catalogDeps(platform);
  const ids = await repo.findLiveProductIds(deps.db);
  await refreshInBatches(deps, ids);
  deps.log.info('rewrote every product card', { products: ids.length });
}

/**
 * Products' JSON from rows of cards, image URLs still marked (withImageUrls, once for the whole
 * answer). A row without a card (the moment between a deploy and its bootstrap) is made from its
 * row instead; one deleted in between is left out.
 */
export async function productsJson(deps: CatalogDeps, rows: CardRow[]): Promise<string[]> {
  const cardless = rows.filter((row) => row.card === null).map((row) => row.id);
  const made = cardless.length > 0 ? await cardsOf(deps.db, cardless) : undefined;
  const out: string[] = [];
  for (const row of rows) {
    const card = row.card ?? made?.get(row.id);
    if (card !== undefined) out.push(productJson(row, card));
  }
  return out;
}
