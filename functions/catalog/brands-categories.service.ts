import { isUniqueViolation } from '../../shared/db/dialect.js';
import { badRequest, conflict, notFound } from '../../shared/http/errors.js';
import type { CatalogDeps } from './catalog.deps.js';
import { refreshCards } from './cards.service.js';
import { publicRead } from './catalog.service.js';
import * as repo from './catalog.repository.js';
import type { Named } from './catalog.schemas.js';
import type { NamedKind } from './catalog.tables.js';
import { nameKey } from './product.mapper.js';

/**
 * Categories and brands: names unique among live ones, ignoring case. Deleting one is a soft
 * delete (past orders' products keep pointing at it), refused while a live product uses it.
 */

const words = {
  categories: { one: 'category', a: 'a category' },
  brands: { one: 'brand', a: 'a brand' },
} as const;

const missing = (kind: NamedKind) => notFound(`No ${words[kind].one} has that id.`);
const taken = (kind: NamedKind, name: string) =>
  conflict(`There is already ${words[kind].a} named "${name}" (names ignore case).`, 'name');

export function listNamed(deps: CatalogDeps, kind: NamedKind): Promise<Named[]> {
  return repo.listNamed(deps.db, kind);
}

/** The list through the read cache (catalog.service.ts publicRead). */
export function listNamedRead(deps: CatalogDeps, kind: NamedKind, baseUrl: string) {
  return publicRead(deps, kind, baseUrl, async () => JSON.stringify(await listNamed(deps, kind)));
}

export async function createNamed(deps: CatalogDeps, kind: NamedKind, name: string): Promise<Named> {
  const key = checkedKey(name);
  try {
    return await deps.transaction(async (trx) => {
      const id = await repo.insertNamed(trx, kind, { name, name_key: key, created_at: deps.clock.now() });
      await repo.bumpRevision(trx);
      return { id, name };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw taken(kind, name);
    throw error;
  }
}

export async function renameNamed(
  deps: CatalogDeps,
  kind: NamedKind,
  id: number,
  name: string,
): Promise<Named> {
  const key = checkedKey(name);
  try {
    // A rename changes every product of that brand or category a reader sees.
    return await deps.transaction(async (trx) => {
      if ((await repo.renameNamed(trx, kind, id, name, key)) === 0) throw missing(kind);
      await refreshCards(trx, await repo.findLiveProductIdsUsing(trx, kind, id));
      await repo.bumpRevision(trx);
      return { id, name };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw taken(kind, name);
    throw error;
  }
}

/**
 * Deleting is safe against a product saved into it at the same moment: the row is marked deleted
 * first, in a transaction, then its live products are counted, and any means a rollback. A product
 * save locks the same row (lockLiveNamed) before it writes, so one of the two waits for the other:
 * either the count sees the product, or the save finds the category deleted.
 */
export async function deleteNamed(deps: CatalogDeps, kind: NamedKind, id: number): Promise<void> {
  await deps.transaction(async (trx) => {
    if ((await repo.softDeleteNamed(trx, kind, id, deps.clock.now())) === 0) throw missing(kind);
    const users = await repo.countLiveProductsUsing(trx, kind, id);
    if (users > 0)
      throw conflict(
        `This ${words[kind].one} still has ${users} product${users === 1 ? '' : 's'}: move or delete ${users === 1 ? 'it' : 'them'} first.`,
      );
    await repo.bumpRevision(trx);
  });
}

function checkedKey(name: string): string {
  const key = nameKey(name);
  if (key.length > 100) throw badRequest('Name must have at most 100 characters.', 'name');
  return key;
}
