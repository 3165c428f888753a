import type { Kysely } from 'kysely';
import * as repo from '../catalog.repository.js';
import type { CatalogTables } from '../catalog.tables.js';

/** Calls every repository function once, so the T-SQL check sees every query the domain can run. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function exercise(anyDb: Kysely<any>): Promise<string[]> {
  const db = anyDb as Kysely<CatalogTables>;
  const at = new Date('2026-01-01T00:00:00Z');
  const filter: repo.ProductFilter = {
    categoryId: 1,
    brandId: 2,
    search: '100%_[x]',
    priceMinMinor: 100,
    priceMaxMinor: 900,
    minRatingTenths: 40,
  };
  const product = {
    name: 'P',
    name_key: 'p',
    description: '<p>x</p>',
    price_minor: 100,
    price_before_discount_minor: 120,
    rating_tenths: 45,
    quantity: 3,
    reserved_quantity: 0,
    version: 1,
    category_id: 1,
    brand_id: 2,
    is_deleted: false,
    created_at: at,
    updated_at: at,
    deleted_at: null,
  };
  const calls: [string, () => Promise<unknown>][] = [
    ['listNamed', () => repo.listNamed(db, 'brands')],
    ['findNamed', () => repo.findNamed(db, 'categories', 1)],
    ['insertNamed', () => repo.insertNamed(db, 'brands', { name: 'B', name_key: 'b', created_at: at })],
    ['renameNamed', () => repo.renameNamed(db, 'categories', 1, 'C', 'c')],
    ['softDeleteNamed', () => repo.softDeleteNamed(db, 'brands', 2, at)],
    ['lockLiveNamed', () => repo.lockLiveNamed(db, 'categories', 1)],
    ['countLiveProductsUsing', () => repo.countLiveProductsUsing(db, 'categories', 1)],
    ['containsPattern', async () => repo.containsPattern('a%b')],
    ['productCountQuery', () => db.executeQuery(repo.productCountQuery(db, filter))],
    [
      'productCardPageQuery',
      () => db.executeQuery(repo.productCardPageQuery(db, filter, 'priceDesc', { offset: 40, limit: 20 })),
    ],
    ['productCardQuery', () => db.executeQuery(repo.productCardQuery(db, 1))],
    ['lockProducts', () => repo.lockProducts(db, [1, 2])],
    ['saveCard', () => repo.saveCard(db, 1, '"name":"P"')],
    ['findLiveProductIds', () => repo.findLiveProductIds(db)],
    ['findCardlessProductIds', () => repo.findCardlessProductIds(db)],
    ['findLiveProductIdsUsing', () => repo.findLiveProductIdsUsing(db, 'brands', 2)],
    ['findLiveProduct', () => repo.findLiveProduct(db, 1)],
    ['findLiveProductsByIds', () => repo.findLiveProductsByIds(db, [1, 2, 3])],
    ['findPriceRows', () => repo.findPriceRows(db, [1, 2])],
    ['findImagesOf', () => repo.findImagesOf(db, [1, 2])],
    ['addViews', () => repo.addViews(db, 1, 3)],
    ['readRevision', () => repo.readRevision(db)],
    ['revisionQuery', async () => db.executeQuery(repo.revisionQuery(db))],
    ['revisionOf', async () => repo.revisionOf([{ revision: 1 }])],
    ['bumpRevision', () => repo.bumpRevision(db)],
    ['isProductNameTaken', () => repo.isProductNameTaken(db, 'p', 1)],
    ['insertProduct', () => repo.insertProduct(db, product)],
    [
      'updateProduct',
      () =>
        repo.updateProduct(
          db,
          1,
          { name: 'Q', name_key: 'q', price_minor: 90, available_quantity: 7, updated_at: at },
          { priceMinor: 100, version: 4 },
        ),
    ],
    ['softDeleteProduct', () => repo.softDeleteProduct(db, 1, at)],
    [
      'insertImages',
      () =>
        repo.insertImages(db, [
          { product_id: 1, blob_key: 'products/a.png', description: 'a', is_main: true, created_at: at },
          { product_id: 1, blob_key: 'products/b.png', description: 'b', is_main: false, created_at: at },
        ]),
    ],
    ['deleteImages', () => repo.deleteImages(db, 1, [3, 4])],
    ['setMainImage', () => repo.setMainImage(db, 1, 3)],
    ['anyProductExists', () => repo.anyProductExists(db)],
    ['reserveUnits', () => repo.reserveUnits(db, 1, 2)],
    ['releaseReservedUnits', () => repo.releaseReservedUnits(db, 1, 2)],
    ['commitReservedUnits', () => repo.commitReservedUnits(db, 1, 2)],
    ['returnCommittedUnits', () => repo.returnCommittedUnits(db, 1, 2)],
    [
      'insertReservation',
      () =>
        repo.insertReservation(db, {
          order_id: 7,
          product_id: 1,
          quantity: 2,
          status: 'reserved',
          created_at: at,
          updated_at: at,
        }),
    ],
    ['findReservations', () => repo.findReservations(db, 7)],
    ['moveReservation', () => repo.moveReservation(db, 1, 'reserved', 'committed', at)],
  ];
  for (const [, call] of calls) await call().catch(() => undefined);
  // The other branches of the same functions: no filter, the name sort, a rename check without exception.
  await db
    .executeQuery(repo.productCardPageQuery(db, {}, 'name', { offset: 0, limit: 20 }))
    .catch(() => undefined);
  await db.executeQuery(repo.productCountQuery(db, {})).catch(() => undefined);
  await repo.isProductNameTaken(db, 'p', null).catch(() => undefined);
  // An edit without a version or a new quantity (the storefront's form today).
  await repo
    .updateProduct(db, 1, { rating_tenths: 40, updated_at: at }, { priceMinor: 100 })
    .catch(() => undefined);
  return calls.map(([name]) => name);
}
