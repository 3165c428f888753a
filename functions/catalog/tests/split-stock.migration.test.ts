import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest } from '../../../shared/db/migrations.js';
import { createCatalog } from '../migrations/2026_11_25_1000_create_catalog.js';
import { splitStock } from '../migrations/2026_12_03_0900_split_stock.js';

/**
 * The split of stock into on hand and reserved, on a catalog written the old way: `quantity` held
 * what was available, reservations having been taken off it.
 */

let dir: string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let db: Kysely<any>;
const at = '2026-12-01T00:00:00.000Z';

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-migration-'));
  db = new Kysely({
    dialect: new SqliteDialect({
      database: async () => {
        const sqlite = new SQLite(path.join(dir, 'catalog.sqlite'));
        sqlite.pragma('foreign_keys = ON');
        return sqlite;
      },
    }),
  });
});
after(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function migrate(migrations: (typeof createCatalog)[]): Promise<void> {
  const { error } = await migrateToLatest(db, migrations);
  if (error) throw error;
}

async function oldProduct(name: string, quantity: number, soldCount: number): Promise<number> {
  const row = await db
    .insertInto('products')
    .values({
      name,
      name_key: name.toLowerCase(),
      description: '',
      price_minor: 1000,
      price_before_discount_minor: 1000,
      sold_count: soldCount,
      quantity,
      category_id: 1,
      brand_id: 1,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id as number;
}

async function oldReservation(orderId: number, productId: number, quantity: number, status: string) {
  await db
    .insertInto('stock_reservations')
    .values({ order_id: orderId, product_id: productId, quantity, status, created_at: at, updated_at: at })
    .execute();
}

const stockOf = (id: number) =>
  db
    .selectFrom('products')
    .select(['quantity', 'reserved_quantity', 'sold_count', 'version'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

describe('migration 2026_12_03_0900_split_stock', () => {
  let held: number;
  let untouched: number;

  before(async () => {
    await migrate([createCatalog]);
    for (const table of ['categories', 'brands']) {
      await db.insertInto(table).values({ name: 'X', name_key: 'x', created_at: at }).execute();
    }
    // 10 on the shelf: 4 held by two unpaid orders, so the old column said 6. Committed units were
    // already gone from it (and counted as sold); released ones were back in it.
    held = await oldProduct('Held', 6, 2);
    await oldReservation(1, held, 3, 'reserved');
    await oldReservation(2, held, 1, 'reserved');
    await oldReservation(3, held, 2, 'committed');
    await oldReservation(4, held, 5, 'released');
    untouched = await oldProduct('Untouched', 9, 0);
    await oldReservation(5, untouched, 2, 'committed');

    await migrate([createCatalog, splitStock]);
  });

  it('moves what unpaid orders hold back on hand and records it as reserved', async () => {
    assert.deepEqual(await stockOf(held), {
      quantity: 10,
      reserved_quantity: 4,
      sold_count: 2,
      version: 1,
    });
  });

  it('leaves a product without held units as it was, with nothing reserved', async () => {
    assert.deepEqual(await stockOf(untouched), {
      quantity: 9,
      reserved_quantity: 0,
      sold_count: 0,
      version: 1,
    });
  });

  it('refuses a negative reserved count, or more reserved than on hand', async () => {
    for (const reserved of [-1, 11]) {
      await assert.rejects(
        db.updateTable('products').set({ reserved_quantity: reserved }).where('id', '=', held).execute(),
        /CHECK constraint failed/,
      );
    }
    await assert.rejects(
      db.updateTable('products').set({ quantity: 3 }).where('id', '=', held).execute(),
      /CHECK constraint failed/,
    );
    assert.equal((await stockOf(held)).reserved_quantity, 4);
  });

  it('gives new products nothing reserved and version 1 by default', async () => {
    const id = await oldProduct('New', 3, 0);
    assert.deepEqual(await stockOf(id), { quantity: 3, reserved_quantity: 0, sold_count: 0, version: 1 });
  });
});
