import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '../../shared/db/dialect.js';
import { ProductPriceChanged } from '../../shared/events/catalogue.js';
import { AppError, badRequest, conflict, notFound } from '../../shared/http/errors.js';
import type { PublicRead } from '../../shared/http/conditional.js';
import { successJson } from '../../shared/http/envelope.js';
import type { UploadedFile } from '../../shared/http/types.js';
import type { CatalogDeps } from './catalog.deps.js';
import * as repo from './catalog.repository.js';
import type { CreateProductInput, Product, ProductListQuery, UpdateProductInput } from './catalog.schemas.js';
import type { CatalogDb, ProductImageRow } from './catalog.tables.js';
import { sanitizeDescription } from './description.js';
import { nameKey, toProduct } from './product.mapper.js';
import { liveProductsWithImages, productsJson, refreshCards } from './cards.service.js';
import { withImageUrls } from './product-card.js';

/** The product rules: the public list and detail, and the ADMIN's create, update and delete. */

const productNotFound = () => notFound('No product has that id.');
const nameTaken = (name: string) => conflict(`A product named "${name}" already exists.`, 'name');
const staleForm = () =>
  conflict(
    'This product has changed since the form was loaded (an order or another edit). Reload it and try again.',
    'version',
  );

/**
 * A public read through the read cache: the revision first (one tiny statement), then the answer
 * kept for that revision, or `build` (which gives the data's JSON) run once and its answer kept.
 * Keys hold the base URL, since image URLs are absolute. With CATALOG_CACHE=off, `build` runs every
 * time. Written with `then` rather than `await`: a hit then costs one promise of its own (every
 * promise is a hook call of the trace context's AsyncLocalStorage, on the hottest path there is).
 */
export function publicRead(
  deps: CatalogDeps,
  key: string,
  baseUrl: string,
  build: () => Promise<string>,
): Promise<PublicRead> {
  const cache = deps.cache;
  if (!cache) return build().then((json) => ({ body: successJson(json) }));
  return deps.revision.current().then((revision) => cache.answer(`${baseUrl} ${key}`, revision, build));
}

/** The list as the cache keeps it: keyed by the parsed query (defaults applied), so equal queries share an answer. */
export function listProductsRead(deps: CatalogDeps, query: ProductListQuery, baseUrl: string) {
  const key = `list ${JSON.stringify(Object.entries(query).sort(([a], [b]) => a.localeCompare(b)))}`;
  return publicRead(deps, key, baseUrl, () => listProductsJson(deps, query, baseUrl));
}

/**
 * A live product through the cache, counting the view in memory (ViewCounter: written in batches,
 * never a statement per request, never a revision bump). Unknown and deleted ids count nothing.
 */
export function getProductRead(deps: CatalogDeps, id: number, baseUrl: string): Promise<PublicRead> {
  return publicRead(deps, `product ${id}`, baseUrl, () => productJsonOf(deps, id, baseUrl)).then((read) => {
    deps.views.count(id);
    return read;
  });
}

/**
 * One page of live products, as the JSON of a ProductPage: one statement whatever the page size (the
 * page's cards with their counters and the total count; product-card.ts), compiled once per shape
 * and run on committed data without queueing behind this instance's writes. A page past the end
 * asks for the count alone.
 */
export async function listProductsJson(
  deps: CatalogDeps,
  query: ProductListQuery,
  baseUrl: string,
): Promise<string> {
  const filter: repo.ProductFilter = {
    categoryId: query.categoryId,
    brandId: query.brandId,
    search: query.search === undefined ? undefined : nameKey(query.search),
    priceMinMinor: query.priceMin,
    priceMaxMinor: query.priceMax,
    minRatingTenths: query.ratingNumber,
  };
  const page = { offset: (query.pageIndex - 1) * query.pageSize, limit: query.pageSize };
  const { database, db } = deps;
  const rows = await database.readCommitted(repo.productCardPageQuery(db, filter, query.sort, page));
  const count = Number(
    rows[0]?.total ??
      (page.offset === 0 ? 0 : (await database.readCommitted(repo.productCountQuery(db, filter)))[0]?.count),
  );
  const products = await productsJson(deps, rows);
  const json = `{"pageIndex":${query.pageIndex},"pageSize":${query.pageSize},"count":${count},"data":[${products.join(',')}]}`;
  return withImageUrls(json, deps.blobs.urlPrefix(baseUrl));
}

/** A live product's JSON (views are counted by getProductRead). */
export async function productJsonOf(deps: CatalogDeps, id: number, baseUrl: string): Promise<string> {
  const rows = await deps.database.readCommitted(repo.productCardQuery(deps.db, id));
  const [json] = await productsJson(deps, rows);
  if (json === undefined) throw productNotFound();
  return withImageUrls(json, deps.blobs.urlPrefix(baseUrl));
}

/** Live products by id, in one statement per 1,000 ids plus their images (for carts and orders). */
export async function getProductsByIds(
  deps: CatalogDeps,
  ids: number[],
  baseUrl: string,
): Promise<Map<number, Product>> {
  const prefix = deps.blobs.urlPrefix(baseUrl);
  const products = await liveProductsWithImages(deps.db, ids);
  return new Map(products.map(({ row, images }) => [row.id, toProduct(row, images, prefix)]));
}

/**
 * Creates a product with its photos (the first is the main one). The photos are stored first and the
 * rows written in one transaction after; if anything fails, the stored photos are removed again,
 * so a failed upload never leaves a half-created product.
 */
export async function createProduct(
  deps: CatalogDeps,
  input: CreateProductInput,
  files: UploadedFile[],
): Promise<number> {
  const photos = files.filter((f) => f.field === 'imagePhotos');
  if (photos.length === 0) throw badRequest('Add at least one product photo (imagePhotos).', 'imagePhotos');
  const { priceBeforeDiscount } = pricesAfter(
    { price_minor: input.price, price_before_discount_minor: 0 },
    input,
  );
  const key = checkedKey(input.name);
  const description = await sanitizeDescription(input.description ?? '');
  const keys = await storePhotos(deps, photos);
  try {
    return await deps.transaction(async (trx) => {
      await assertCategoryAndBrand(trx, input.categoryId, input.brandId);
      if (await repo.isProductNameTaken(trx, key, null)) throw nameTaken(input.name);
      const now = deps.clock.now();
      const id = await repo.insertProduct(trx, {
        name: input.name,
        name_key: key,
        description,
        price_minor: input.price,
        price_before_discount_minor: priceBeforeDiscount,
        rating_tenths: input.rating ?? 0,
        // Nothing is held yet: everything on hand is available.
        quantity: input.quantity,
        reserved_quantity: 0,
        version: 1,
        category_id: input.categoryId,
        brand_id: input.brandId,
        is_deleted: false,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      });
      await repo.insertImages(trx, imageRows(id, keys, photos, now, true));
      await refreshCards(trx, [id]);
      await repo.bumpRevision(trx);
      return id;
    });
  } catch (error) {
    await removePhotos(deps, keys);
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    throw error;
  }
}

/**
 * Changes the given fields of a live product. New `imagePhotos` are added to its photos;
 * `removeImageIds` removes some (their files stay for past orders); `mainImageId` picks the main
 * one, otherwise the main stays, or the oldest remaining photo becomes main if it was removed. A
 * product always keeps at least one photo. A new price emits ProductPriceChanged through the outbox.
 *
 * `quantity` is what the ADMIN wants available: the units orders hold stay held on top of it. A
 * `version` (the product's when the form was loaded) that is no longer current is refused (409), so
 * a stale form never overwrites a newer edit; without one the edit applies to the current product.
 */
export async function updateProduct(
  deps: CatalogDeps,
  input: UpdateProductInput,
  files: UploadedFile[],
): Promise<number> {
  const current = await repo.findLiveProduct(deps.db, input.id);
  if (!current) throw productNotFound();
  // Fails fast, before any photo is stored; the UPDATE below checks the version again.
  if (input.version !== undefined && input.version !== current.version) throw staleForm();
  const photos = files.filter((f) => f.field === 'imagePhotos');
  const remaining = remainingPhotos(await repo.findImagesOf(deps.db, [input.id]), input, photos.length);
  pricesAfter(current, input); // fails fast, before any photo is stored
  const key = input.name === undefined ? undefined : checkedKey(input.name);
  const description =
    input.description === undefined ? undefined : await sanitizeDescription(input.description);

  const keys = await storePhotos(deps, photos);
  try {
    await deps.transaction(async (trx, emit) => {
      if (input.categoryId !== undefined || input.brandId !== undefined) {
        const categoryId = input.categoryId ?? current.category_id;
        await assertCategoryAndBrand(trx, categoryId, input.brandId ?? current.brand_id);
      }
      if (key !== undefined && (await repo.isProductNameTaken(trx, key, input.id)))
        throw nameTaken(input.name ?? '');
      const before = await repo.findLiveProduct(trx, input.id);
      if (!before) throw productNotFound();
      const { price, priceBeforeDiscount } = pricesAfter(before, input);
      const now = deps.clock.now();
      const changes: repo.ProductChanges = {
        ...(input.name !== undefined && key !== undefined ? { name: input.name, name_key: key } : {}),
        ...(description !== undefined ? { description } : {}),
        ...(input.quantity !== undefined ? { available_quantity: input.quantity } : {}),
        ...(input.categoryId !== undefined ? { category_id: input.categoryId } : {}),
        ...(input.brandId !== undefined ? { brand_id: input.brandId } : {}),
        ...(input.rating !== undefined ? { rating_tenths: input.rating } : {}),
        price_minor: price,
        price_before_discount_minor: priceBeforeDiscount,
        updated_at: now,
      };
      const expected = { priceMinor: before.price_minor, version: input.version };
      if ((await repo.updateProduct(trx, input.id, changes, expected)) === 0) {
        if (input.version !== undefined) throw staleForm();
        throw conflict('This product changed while you were saving it. Reload it and try again.');
      }
      await repo.deleteImages(trx, input.id, input.removeImageIds ?? []);
      await repo.insertImages(trx, imageRows(input.id, keys, photos, now, false));
      const main = input.mainImageId ?? remaining.find((i) => i.is_main)?.id ?? remaining[0]?.id;
      await repo.setMainImage(trx, input.id, main ?? (await firstImageOf(trx, input.id)) ?? 0);
      await refreshCards(trx, [input.id]);
      await repo.bumpRevision(trx);
      if (before.price_minor !== price) {
        await emit(ProductPriceChanged, {
          productId: input.id,
          previousPriceMinor: before.price_minor,
          priceMinor: price,
          priceBeforeDiscountMinor: priceBeforeDiscount,
        });
      }
    });
  } catch (error) {
    await removePhotos(deps, keys);
    if (isUniqueViolation(error) && input.name !== undefined) throw nameTaken(input.name);
    throw error;
  }
  return input.id;
}

/** The photos left after `removeImageIds`, checking that the ids are this product's and one photo stays. */
function remainingPhotos(
  existing: ProductImageRow[],
  input: Pick<UpdateProductInput, 'removeImageIds' | 'mainImageId'>,
  added: number,
): ProductImageRow[] {
  const removeIds = input.removeImageIds ?? [];
  const foreign = removeIds.find((imageId) => !existing.some((i) => i.id === imageId));
  if (foreign !== undefined) {
    throw badRequest(`Image ${foreign} is not a photo of this product.`, 'removeImageIds');
  }
  const remaining = existing.filter((i) => !removeIds.includes(i.id));
  if (remaining.length + added === 0) {
    throw badRequest(
      'A product needs at least one photo: add one before removing the last.',
      'removeImageIds',
    );
  }
  if (input.mainImageId !== undefined && !remaining.some((i) => i.id === input.mainImageId)) {
    throw badRequest(`Image ${input.mainImageId} is not a remaining photo of this product.`, 'mainImageId');
  }
  return remaining;
}

/** Soft delete: hidden from the list, the detail and sale; rows and photos stay for past orders. */
export async function deleteProduct(deps: CatalogDeps, id: number): Promise<void> {
  await deps.transaction(async (trx) => {
    const changed = await repo.softDeleteProduct(trx, id, deps.clock.now());
    if (changed === 0) throw productNotFound();
    await repo.bumpRevision(trx);
  });
}

/**
 * The prices after a change. A price before discount of 0 means "no discount" (it becomes the price);
 * when absent it stays, unless a new price exceeds it: that simply ends the discount.
 */
function pricesAfter(
  row: { price_minor: number; price_before_discount_minor: number },
  input: { price?: number; priceBeforeDiscount?: number },
): { price: number; priceBeforeDiscount: number } {
  const price = input.price ?? row.price_minor;
  const priceBeforeDiscount =
    input.priceBeforeDiscount === 0
      ? price
      : (input.priceBeforeDiscount ?? Math.max(row.price_before_discount_minor, price));
  assertDiscount(price, priceBeforeDiscount);
  return { price, priceBeforeDiscount };
}

function assertDiscount(price: number, priceBeforeDiscount: number): void {
  if (priceBeforeDiscount < price) {
    throw badRequest('The price before discount must not be lower than the price.', 'priceBeforeDiscount');
  }
}

function checkedKey(name: string): string {
  const key = nameKey(name);
  if (key.length > 200) throw badRequest('Name must have at most 200 characters.', 'name');
  return key;
}

/**
 * The product's category and brand are live, and stay so until the transaction commits: each row is
 * locked (lockLiveNamed), so a delete of either at the same moment waits and then counts this product.
 * Always category, then brand, so two saves never wait on each other in a circle.
 */
async function assertCategoryAndBrand(db: CatalogDb, categoryId: number, brandId: number): Promise<void> {
  if (!(await repo.lockLiveNamed(db, 'categories', categoryId)))
    throw badRequest(`No category has id ${categoryId}.`, 'categoryId');
  if (!(await repo.lockLiveNamed(db, 'brands', brandId)))
    throw badRequest(`No brand has id ${brandId}.`, 'brandId');
}

async function firstImageOf(db: CatalogDb, productId: number): Promise<number | undefined> {
  return (await repo.findImagesOf(db, [productId]))[0]?.id;
}

function imageRows(
  productId: number,
  keys: string[],
  photos: UploadedFile[],
  at: Date,
  firstIsMain: boolean,
) {
  return keys.map((blobKey, i) => ({
    product_id: productId,
    blob_key: blobKey,
    description: describe(photos[i]?.filename ?? ''),
    is_main: firstIsMain && i === 0,
    created_at: at,
  }));
}

/** The uploaded file's name without its extension, as the photo's description. */
function describe(filename: string): string {
  return filename.replace(/\.[a-z0-9]{1,5}$/i, '').slice(0, 300);
}

/** Stores the photos under fresh keys; if one fails, the others are removed and nothing is kept. */
async function storePhotos(deps: CatalogDeps, photos: UploadedFile[]): Promise<string[]> {
  const keys = photos.map((p) => `products/${randomUUID()}.${p.extension}`);
  const results = await Promise.allSettled(
    photos.map((p, i) => deps.blobs.put(keys[i] ?? '', p.bytes, p.contentType)),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await removePhotos(
      deps,
      keys.filter((_, i) => results[i]?.status === 'fulfilled'),
    );
    throw new AppError(
      'unavailable',
      'The photos could not be stored, so nothing was saved. Please try again.',
      {
        cause: failed.reason,
      },
    );
  }
  return keys;
}

async function removePhotos(deps: CatalogDeps, keys: string[]): Promise<void> {
  await Promise.all(
    keys.map((key) =>
      deps.blobs
        .delete(key)
        .catch((error: unknown) => deps.log.warn('could not remove an unused photo', { key, error })),
    ),
  );
}
