import assert from 'node:assert/strict';
import { it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely } from 'kysely';
import { ReusableSqliteDialect } from './sqlite-compiler.js';

interface Tables {
  items: { id: number; is_deleted: number; price: number };
}

function itemsDb(): Kysely<Tables> {
  const sqlite = new SQLite(':memory:');
  sqlite.exec(
    'create table items (id integer primary key, is_deleted integer not null, price integer not null)',
  );
  // A partial index over live rows: what makes SQLite plan `is_deleted = ?` with its bound value.
  sqlite.exec('create index ix_live_price on items (price) where is_deleted = 0');
  const insert = sqlite.prepare('insert into items (id, is_deleted, price) values (?, ?, ?)');
  for (let id = 1; id <= 10; id++) insert.run(id, id % 3 === 0 ? 1 : 0, id * 10);
  return new Kysely<Tables>({ dialect: new ReusableSqliteDialect({ database: sqlite }) });
}

it('writes booleans as literals and LIMIT/OFFSET as expressions, and the statements answer the same', async () => {
  const db = itemsDb();
  const query = db
    .selectFrom('items')
    .select('id')
    .where('is_deleted', '=', false as unknown as number)
    .where('price', '>=', 20)
    .orderBy('price')
    .limit(3)
    .offset(1);
  const compiled = query.compile();
  assert.equal(
    compiled.sql,
    'select "id" from "items" where "is_deleted" = 0 and "price" >= ? order by "price" limit cast(? as integer) offset cast(? as integer)',
  );
  assert.deepEqual(compiled.parameters, [20, 3, 1]);
  // Live items priced 20 and up: 20, 40, 50, 70, 80, 100; skip one, take three.
  assert.deepEqual(
    (await query.execute()).map((row) => row.id),
    [4, 5, 7],
  );
  await db.destroy();
});
