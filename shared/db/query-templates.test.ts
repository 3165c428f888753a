import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DummyDriver, Kysely, sql, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import { compileOnlyMssql } from './compile-only.js';
import { paged } from './dialect.js';
import { QueryTemplates, type TemplateValues } from './query-templates.js';

interface Tables {
  items: { id: number; name: string; price: number; is_deleted: boolean };
}

const sqlite = new Kysely<Tables>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new SqliteIntrospector(k),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});
const mssql = compileOnlyMssql<Tables>();

/** A filtered page: a constant (is_deleted), a number, a string and the paging values. */
const pageOf = (db: Kysely<Tables>, v: TemplateValues) =>
  paged(
    db,
    db
      .selectFrom('items')
      .select(['id', 'name'])
      .where('is_deleted', '=', false)
      .where('price', '>=', v[0] as number)
      .where(sql<boolean>`name like ${v[1]}`)
      .orderBy('id'),
    { offset: v[2] as number, limit: v[3] as number },
  );

describe('QueryTemplates', () => {
  for (const [dialect, db] of [
    ['SQLite', sqlite],
    ['T-SQL', mssql],
  ] as const) {
    it(`gives the statement a fresh compile would, with each use's values (${dialect})`, () => {
      const templates = new QueryTemplates<Kysely<Tables>>();
      let builds = 0;
      for (const values of [
        [100, '%a%', 0, 20],
        [5, '%b%', 40, 10],
        [0, '%%', 0, 1],
      ]) {
        const compiled = templates.compile(db, 'page', values, (v) => (builds++, pageOf(db, v)));
        const fresh = pageOf(db, values).compile();
        assert.equal(compiled.sql, fresh.sql);
        assert.deepEqual(compiled.parameters, fresh.parameters);
      }
      assert.equal(builds, 1, 'built once for the shape');
    });
  }

  it('keeps shapes apart, and handles apart', () => {
    const templates = new QueryTemplates<Kysely<Tables>>();
    const byId = (db: Kysely<Tables>, v: TemplateValues) =>
      db
        .selectFrom('items')
        .select('id')
        .where('id', '=', v[0] as number);
    const byName = (db: Kysely<Tables>, v: TemplateValues) =>
      db
        .selectFrom('items')
        .select('id')
        .where('name', '=', v[0] as string);
    assert.match(templates.compile(sqlite, 'id', [1], (v) => byId(sqlite, v)).sql, /"id" = \?/);
    assert.match(templates.compile(sqlite, 'name', ['x'], (v) => byName(sqlite, v)).sql, /"name" = \?/);
    assert.match(templates.compile(mssql, 'id', [1], (v) => byId(mssql, v)).sql, /"id" = @1/);
  });

  it('refuses a builder that puts a value into the SQL text', () => {
    const templates = new QueryTemplates<Kysely<Tables>>();
    assert.throws(
      () =>
        templates.compile(sqlite, 'inlined', [7], (v) =>
          sqlite
            .selectFrom('items')
            .select('id')
            .where('id', '=', sql.lit(v[0] as number)),
        ),
      /value 0 is not a parameter/,
    );
  });
});
