import { sql, type CompiledQuery, type Insertable } from 'kysely';
import { insertReturningId, likePattern, paged } from '../../shared/db/dialect.js';
import { QueryTemplates, type TemplateValues } from '../../shared/db/query-templates.js';
import type {
  CatalogDb,
  NamedKind,
  ProductImagesTable,
  ProductsTable,
  ReservationStatus,
  StockReservationsTable,
} from './catalog.tables.js';
import type { ProductSort } from './catalog.schemas.js';
import type { CardRow } from './product-card.js';

/**
 * Kysely only: every function takes the database or a transaction first and returns rows. Live
 * rows are those with `is_deleted = false`; nothing here branches on the dialect.
 */

// Categories and brands (same shape, one set of functions)

export function listNamed(db: CatalogDb, kind: NamedKind) {
  return db
    .selectFrom(kind)
    .select(['id', 'name'])
    .where('is_deleted', '=', false)
    .orderBy('name_key')
    .orderBy('id')
    .execute();
}

export function findNamed(db: CatalogDb, kind: NamedKind, id: number) {
  return db
    .selectFrom(kind)
    .select(['id', 'name'])
    .where('id', '=', id)
    .where('is_deleted', '=', false)
    .executeTakeFirst();
}

/** Inserts a live row; a live row with the same name key violates the unique index. */
export function insertNamed(
  db: CatalogDb,
  kind: NamedKind,
  values: { name: string; name_key: string; created_at: Date },
) {
  return insertReturningId(db, kind, { ...values, is_deleted: false, deleted_at: null });
}

/** Renames a live row; returns how many rows changed (0: unknown or deleted). */
export async function renameNamed(db: CatalogDb, kind: NamedKind, id: number, name: string, nameKey: string) {
  const result = await db
    .updateTable(kind)
    .set({ name, name_key: nameKey })
    .where('id', '=', id)
    .where('is_deleted', '=', false)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Soft-deletes a live category or brand; returns rows changed (0: unknown or already deleted). Run in
 * the transaction that then counts its live products: the row's lock, held to the commit, makes a
 * product being saved into it at that moment wait (lockLiveNamed), so the count cannot miss it.
 */
export async function softDeleteNamed(db: CatalogDb, kind: NamedKind, id: number, at: Date) {
  const result = await db
    .updateTable(kind)
    .set({ is_deleted: true, deleted_at: at })
    .where('id', '=', id)
    .where('is_deleted', '=', false)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Locks a live category or brand until the transaction ends (a write that changes nothing still
 * takes the row's lock), so it cannot be deleted while a product is saved into it. False when it is
 * unknown or deleted. A check that only read the row would let a delete slip in before the commit;
 * so would a NOT EXISTS in the delete, under the row versioning (RCSI) Azure SQL reads with.
 */
export async function lockLiveNamed(db: CatalogDb, kind: NamedKind, id: number): Promise<boolean> {
  const result = await db
    .updateTable(kind)
    .set({ is_deleted: false })
    .where('id', '=', id)
    .where('is_deleted', '=', false)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countLiveProductsUsing(db: CatalogDb, kind: NamedKind, id: number): Promise<number> {
  const row = await db
    .selectFrom('products')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where(productColumnOf(kind), '=', id)
    .where('is_deleted', '=', false)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The products' column that points at a category or a brand. */
const productColumnOf = (kind: NamedKind) => (kind === 'categories' ? 'category_id' : 'brand_id');

// Products

export interface ProductFilter {
  categoryId?: number;
  brandId?: number;
  /** Lower case; matched anywhere in the name. */
  search?: string;
  priceMinMinor?: number;
  priceMaxMinor?: number;
  minRatingTenths?: number;
}

/** Each sort ends with the id, so products that tie keep one order and paging never repeats or skips. */
const sortColumns: Record<
  ProductSort,
  [column: `products.${keyof ProductsTable}`, direction: 'asc' | 'desc'][]
> = {
  name: [
    ['products.name_key', 'asc'],
    ['products.id', 'asc'],
  ],
  sold: [
    ['products.sold_count', 'desc'],
    ['products.id', 'desc'],
  ],
  view: [
    ['products.view_count', 'desc'],
    ['products.id', 'desc'],
  ],
  priceAsc: [
    ['products.price_minor', 'asc'],
    ['products.id', 'asc'],
  ],
  priceDesc: [
    ['products.price_minor', 'desc'],
    ['products.id', 'desc'],
  ],
};

/** `%`, `_` and `[` are wildcards in LIKE (the last in T-SQL only); they are matched literally here. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_[]/g, (c) => `\\${c}`)}%`;
}

/** One condition of the list: a column compared with the value at that place in the template's values. */
const filterColumns = [
  ['categoryId', 'products.category_id', '='],
  ['brandId', 'products.brand_id', '='],
  ['priceMinMinor', 'products.price_minor', '>='],
  ['priceMaxMinor', 'products.price_minor', '<='],
  ['minRatingTenths', 'products.rating_tenths', '>='],
] as const;

/** The list's filter as a statement template sees it: which conditions are set, and their values. */
interface FilterTemplate {
  /** Names every condition that is set: statements of one shape differ only in their values. */
  shape: string;
  values: (number | string)[];
  /** Builds the live products matching the conditions, taking their values from `values`. */
  build(db: CatalogDb, values: TemplateValues): ReturnType<typeof liveProducts>;
}

const liveProducts = (db: CatalogDb) => db.selectFrom('products').where('products.is_deleted', '=', false);

/** How many rows a query matches, as `count`. */
const countOf = (query: ReturnType<typeof liveProducts>) =>
  query.select((eb) => eb.fn.countAll<number>().as('count'));

function filterTemplate(filter: ProductFilter): FilterTemplate {
  const set = filterColumns.filter(([key]) => filter[key] !== undefined);
  const values: (number | string)[] = set.map(([key]) => filter[key] ?? 0);
  const pattern = filter.search === undefined ? undefined : containsPattern(filter.search);
  if (pattern !== undefined) values.push(pattern);
  return {
    shape: [...set.map(([key]) => key), ...(pattern === undefined ? [] : ['search'])].join(','),
    values,
    build(db, v) {
      let query = liveProducts(db);
      set.forEach(([, column, op], i) => {
        query = query.where(column, op, v[i] as number);
      });
      if (pattern !== undefined) {
        const like = v[set.length];
        query = query.where(
          sql<boolean>`${sql.ref('products.name_key')} like ${likePattern(db, like)} escape '\\'`,
        );
      }
      return query;
    },
  };
}

const templates = new QueryTemplates<CatalogDb>();

/**
 * How many live products match: a statement compiled once per shape of filter (QueryTemplates). Run
 * it with Database.readCommitted.
 */
export function productCountQuery(db: CatalogDb, filter: ProductFilter): CompiledQuery<{ count: number }> {
  const f = filterTemplate(filter);
  return templates.compile(db, `count ${f.shape}`, f.values, (v) => countOf(f.build(db, v)));
}

/** What a read of cards selects (CardRow): the card, the id and the counters beside it. */
function selectCards(query: ReturnType<typeof liveProducts>) {
  return query.select((eb) => [
    'products.id',
    'products.sold_count',
    'products.view_count',
    eb('products.quantity', '-', eb.ref('products.reserved_quantity')).as('available'),
    'products.version',
    'products.card',
  ]);
}

/**
 * One page of live products' cards (product-card.ts), each row with `total`, how many match in all
 * (a subquery run once: one statement, one read, for the page and its count). Compiled once per
 * shape of filter and sort. A page past the end has no rows, so no total: productCountQuery then.
 */
export function productCardPageQuery(
  db: CatalogDb,
  filter: ProductFilter,
  sort: ProductSort,
  page: { offset: number; limit: number },
): CompiledQuery<CardRow & { total: number }> {
  const f = filterTemplate(filter);
  const values = [...f.values, page.offset, page.limit];
  return templates.compile(db, `page ${sort} ${f.shape}`, values, (v) => {
    let query = selectCards(f.build(db, v)).select(countOf(f.build(db, v)).as('total'));
    for (const [column, direction] of sortColumns[sort]) query = query.orderBy(column, direction);
    const at = f.values.length;
    return paged(db, query, { offset: v[at] as number, limit: v[at + 1] as number });
  });
}

/** A live product's card (none when unknown or deleted). */
export function productCardQuery(db: CatalogDb, id: number): CompiledQuery<CardRow> {
  return templates.compile(db, 'card', [id], (v) =>
    selectCards(liveProducts(db)).where('products.id', '=', v[0] as number),
  );
}

/**
 * Locks these products' rows until the transaction ends (a write that changes nothing still takes
 * the row locks), so what is read after it is what the last writer of each row committed. Azure SQL
 * reads committed versions without waiting (RCSI): without the lock, a card built while another
 * transaction edits the product would overwrite that edit's card once both commit.
 */
export async function lockProducts(db: CatalogDb, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('products')
    .set((eb) => ({ card: eb.ref('card') }))
    .where('id', 'in', ids)
    .execute();
}

/** Writes a product's card (in the transaction of the change it reflects). */
export async function saveCard(db: CatalogDb, id: number, card: string): Promise<void> {
  await db.updateTable('products').set({ card }).where('id', '=', id).execute();
}

/** The ids of the products a query matches, in order. */
async function idsOf(query: ReturnType<typeof liveProducts>): Promise<number[]> {
  const rows = await query.select('products.id').orderBy('products.id').execute();
  return rows.map((row) => row.id);
}

/** Every live product's id (a refresh of every card, after a deployment). */
export function findLiveProductIds(db: CatalogDb): Promise<number[]> {
  return idsOf(liveProducts(db));
}

/** Live products without a card (written before cards existed): the bootstrap writes theirs. */
export function findCardlessProductIds(db: CatalogDb): Promise<number[]> {
  return idsOf(liveProducts(db).where('products.card', 'is', null));
}

/** The live products of a category or brand (a rename rewrites their cards). */
export function findLiveProductIdsUsing(db: CatalogDb, kind: NamedKind, id: number): Promise<number[]> {
  return idsOf(liveProducts(db).where(productColumnOf(kind), '=', id));
}

function withNames(db: CatalogDb) {
  return liveProducts(db)
    .innerJoin('categories', 'categories.id', 'products.category_id')
    .innerJoin('brands', 'brands.id', 'products.brand_id')
    .select([
      'products.id',
      'products.name',
      'products.description',
      'products.price_minor',
      'products.price_before_discount_minor',
      'products.rating_tenths',
      'products.sold_count',
      'products.view_count',
      'products.quantity',
      'products.reserved_quantity',
      'products.version',
      'products.category_id',
      'categories.name as category_name',
      'products.brand_id',
      'brands.name as brand_name',
    ]);
}

export type ProductListRow = Awaited<ReturnType<typeof findLiveProduct>> & {};

/** A live product with its category and brand names. */
export function findLiveProduct(db: CatalogDb, id: number) {
  return withNames(db).where('products.id', '=', id).executeTakeFirst();
}

export async function findLiveProductsByIds(db: CatalogDb, ids: number[]) {
  if (ids.length === 0) return [];
  return withNames(db).where('products.id', 'in', ids).execute();
}

/** Prices and stock of any products, deleted ones included (carts and orders say "no longer sold"). */
export async function findPriceRows(db: CatalogDb, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('products')
    .select([
      'id',
      'name',
      'price_minor',
      'price_before_discount_minor',
      'quantity',
      'reserved_quantity',
      'is_deleted',
    ])
    .where('id', 'in', ids)
    .execute();
}

/** The images of these products, each product's main image first. */
export async function findImagesOf(db: CatalogDb, productIds: number[]) {
  if (productIds.length === 0) return [];
  return db
    .selectFrom('product_images')
    .selectAll()
    .where('product_id', 'in', productIds)
    .orderBy('product_id')
    .orderBy('is_main', 'desc')
    .orderBy('id')
    .execute();
}

/**
 * Adds views counted in memory since the last flush, in one statement, no read first: concurrent
 * flushes of other instances never overwrite each other's count. Never bumps the catalog revision
 * (a view changes nothing a cached answer must be rebuilt for).
 */
export async function addViews(db: CatalogDb, id: number, views: number): Promise<void> {
  await db
    .updateTable('products')
    .set((eb) => ({ view_count: eb('view_count', '+', views) }))
    .where('id', '=', id)
    .where('is_deleted', '=', false)
    .execute();
}

// The catalog revision (read cache)

const revisionQueries = new WeakMap<CatalogDb, CompiledQuery<{ revision: number }>>();

/**
 * The current catalog revision: the one statement a cached read runs. It is compiled once per
 * database handle (by that handle's own dialect), since building and compiling a query each time
 * cost more than running it.
 */
export async function readRevision(db: CatalogDb): Promise<number> {
  const { rows } = await db.executeQuery(revisionQuery(db));
  return revisionOf(rows);
}

/** The revision statement, compiled once per handle (for Database.readCommitted, the hot path). */
export function revisionQuery(db: CatalogDb): CompiledQuery<{ revision: number }> {
  let query = revisionQueries.get(db);
  if (!query) {
    query = db.selectFrom('catalog_revision').select('revision').where('id', '=', 1).compile();
    revisionQueries.set(db, query);
  }
  return query;
}

export const revisionOf = (rows: { revision: unknown }[]): number => Number(rows[0]?.revision ?? 0);

/**
 * Adds one to the catalog revision. Called in the transaction of every write that changes what a
 * reader of the public catalog sees, so a cached answer never outlives the commit that made it stale.
 */
export async function bumpRevision(db: CatalogDb): Promise<void> {
  await db
    .updateTable('catalog_revision')
    .set((eb) => ({ revision: eb('revision', '+', 1) }))
    .where('id', '=', 1)
    .execute();
}

export function isProductNameTaken(db: CatalogDb, nameKey: string, exceptId: number | null) {
  let query = db
    .selectFrom('products')
    .select('id')
    .where('name_key', '=', nameKey)
    .where('is_deleted', '=', false);
  if (exceptId !== null) query = query.where('id', '<>', exceptId);
  return query.executeTakeFirst().then((row) => row !== undefined);
}

export function insertProduct(db: CatalogDb, values: Insertable<ProductsTable>) {
  return insertReturningId(db, 'products', values);
}

export type ProductChanges = Partial<
  Pick<
    ProductsTable,
    | 'name'
    | 'name_key'
    | 'description'
    | 'price_minor'
    | 'price_before_discount_minor'
    | 'rating_tenths'
    | 'category_id'
    | 'brand_id'
  >
> & {
  /** Units the ADMIN wants for sale: on hand becomes this plus what orders hold now. */
  available_quantity?: number;
  updated_at: Date;
};

export interface ProductExpectations {
  /** The price the caller read, so two admins saving at once cannot both announce a change from it. */
  priceMinor: number;
  /** The version the ADMIN's form was loaded at, when the form sent one. */
  version?: number;
}

/**
 * Changes a live product that still meets `expected`, bumping its version, in one statement. A new
 * available quantity is added to the `reserved_quantity` of that same statement (never a value read
 * before it), so units that orders hold are never wiped out. Returns rows changed.
 */
export async function updateProduct(
  db: CatalogDb,
  id: number,
  changes: ProductChanges,
  expected: ProductExpectations,
): Promise<number> {
  const { available_quantity: available, ...columns } = changes;
  let query = db
    .updateTable('products')
    .set((eb) => ({
      ...columns,
      ...(available === undefined ? {} : { quantity: eb('reserved_quantity', '+', available) }),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('is_deleted', '=', false)
    .where('price_minor', '=', expected.priceMinor);
  if (expected.version !== undefined) query = query.where('version', '=', expected.version);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Hides a product from the list, the detail and sale; its rows and photos stay for past orders. */
export async function softDeleteProduct(db: CatalogDb, id: number, at: Date): Promise<number> {
  const result = await db
    .updateTable('products')
    .set((eb) => ({ is_deleted: true, deleted_at: at, updated_at: at, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('is_deleted', '=', false)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function insertImages(db: CatalogDb, images: Insertable<ProductImagesTable>[]): Promise<void> {
  if (images.length === 0) return;
  await db.insertInto('product_images').values(images).execute();
}

/** Removes image rows (the blobs stay: orders may show them). Returns how many went. */
export async function deleteImages(db: CatalogDb, productId: number, imageIds: number[]): Promise<number> {
  if (imageIds.length === 0) return 0;
  const result = await db
    .deleteFrom('product_images')
    .where('product_id', '=', productId)
    .where('id', 'in', imageIds)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Makes one image the product's only main image, in one statement. */
export async function setMainImage(db: CatalogDb, productId: number, imageId: number): Promise<void> {
  await db
    .updateTable('product_images')
    .set({ is_main: sql<boolean>`case when ${sql.ref('id')} = ${imageId} then 1 else 0 end` })
    .where('product_id', '=', productId)
    .execute();
}

export async function anyProductExists(db: CatalogDb): Promise<boolean> {
  const rows = await paged(db, db.selectFrom('products').select('id').orderBy('id'), {
    offset: 0,
    limit: 1,
  }).execute();
  return rows.length > 0;
}

// Stock
//
// `quantity` is on hand, `reserved_quantity` what unpaid orders hold; available is the difference.
// Each change is one statement that bumps the product's version (an ADMIN form loaded before it is
// stale). Only a reservation can fail for want of stock; the others follow a reservation row's
// conditional status move, which is what makes them happen once.

/**
 * Holds `quantity` units if that many are available, in one conditional UPDATE checked by rows
 * affected: never a read of the stock first, so concurrent orders cannot oversell.
 */
export async function reserveUnits(db: CatalogDb, productId: number, quantity: number): Promise<boolean> {
  const result = await db
    .updateTable('products')
    .set((eb) => ({
      reserved_quantity: eb('reserved_quantity', '+', quantity),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', productId)
    .where('is_deleted', '=', false)
    .where((eb) => eb(eb('quantity', '-', eb.ref('reserved_quantity')), '>=', quantity))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** An unpaid order let go of its units: they are available again (they never left the shelf). */
export async function releaseReservedUnits(
  db: CatalogDb,
  productId: number,
  quantity: number,
): Promise<void> {
  await db
    .updateTable('products')
    .set((eb) => ({
      reserved_quantity: eb('reserved_quantity', '-', quantity),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', productId)
    .execute();
}

/** A paid order's units leave the shelf: off hand, no longer reserved, counted as sold. */
export async function commitReservedUnits(db: CatalogDb, productId: number, quantity: number): Promise<void> {
  await db
    .updateTable('products')
    .set((eb) => ({
      quantity: eb('quantity', '-', quantity),
      reserved_quantity: eb('reserved_quantity', '-', quantity),
      sold_count: eb('sold_count', '+', quantity),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', productId)
    .execute();
}

/** A paid order was cancelled (a refund follows): its units are back on hand and no longer sold. */
export async function returnCommittedUnits(
  db: CatalogDb,
  productId: number,
  quantity: number,
): Promise<void> {
  await db
    .updateTable('products')
    .set((eb) => ({
      quantity: eb('quantity', '+', quantity),
      sold_count: eb('sold_count', '-', quantity),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', productId)
    .execute();
}

/** Inserts the (order, product) reservation; a second one violates the unique index. */
export async function insertReservation(
  db: CatalogDb,
  values: Insertable<StockReservationsTable>,
): Promise<void> {
  await db.insertInto('stock_reservations').values(values).execute();
}

export function findReservations(db: CatalogDb, orderId: number) {
  return db
    .selectFrom('stock_reservations')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('product_id')
    .execute();
}

/** Moves a reservation from one status to another if it is still in the first: true when this call did it. */
export async function moveReservation(
  db: CatalogDb,
  reservationId: number,
  from: ReservationStatus,
  to: ReservationStatus,
  at: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('stock_reservations')
    .set({ status: to, updated_at: at })
    .where('id', '=', reservationId)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
