import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Generated } from 'kysely';
import mssql from 'mssql';
import { loadConfig } from '../config/config.js';
import { columnTypes, withIdColumn } from './columns.js';
import { mssqlRecorder } from './compile-only.js';
import { openDatabase, type Database } from './database.js';
import { dialectOf, insertReturningId, isUniqueViolation, paged, readId } from './dialect.js';
import { migrateToLatest, type DomainMigration } from './migrations.js';

interface ThingsTable {
  id: Generated<number>;
  name: string;
  created_at: Date;
  is_active: boolean;
  deleted_at: Date | null;
}
interface Tables {
  things: ThingsTable;
}

const createThings: DomainMigration = {
  name: '2026_01_01_0000_create_things',
  async up(db, dialect) {
    const t = columnTypes(dialect);
    await withIdColumn(db, db.schema.createTable('things'))
      .addColumn('name', t.text(50), (c) => c.notNull())
      .addColumn('created_at', t.instant, (c) => c.notNull())
      .addColumn('is_active', t.bool, (c) => c.notNull())
      .addColumn('deleted_at', t.instant)
      .execute();
    await db.schema.createIndex('ux_things_name').on('things').column('name').unique().execute();
  },
};

const aThing = (overrides: Partial<Omit<ThingsTable, 'id'>> = {}) => ({
  name: `thing-${Math.random().toString(36).slice(2)}`,
  created_at: new Date('2026-03-04T05:06:07.089Z'),
  is_active: true,
  deleted_at: null,
  ...overrides,
});

const compileOnlyMssql = () => mssqlRecorder<Tables>();

describe('db helpers on SQLite', () => {
  let dataDir: string;
  let database: Database<Tables>;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-db-test-'));
    database = openDatabase<Tables>('dbtest', loadConfig({ DATA_DIR: dataDir }));
    const { error } = await migrateToLatest(database.db, [createThings]);
    assert.equal(error, undefined);
  });

  after(async () => {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens SQLite when no SQL Server is configured', () => {
    assert.equal(database.dialect, 'sqlite');
    assert.equal(dialectOf(database.db), 'sqlite');
  });

  it('accepts Date and boolean parameters and returns *_at as Date and is_* as boolean', async () => {
    const values = aThing({ is_active: false });
    const id = await insertReturningId(database.db, 'things', values);
    const row = await database.db
      .selectFrom('things')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.ok(row.created_at instanceof Date);
    assert.equal(row.created_at.toISOString(), values.created_at.toISOString());
    assert.equal(row.is_active, false);
    assert.equal(row.deleted_at, null);
  });

  it('compares instants and booleans given as parameters', async () => {
    const early = aThing({ created_at: new Date('2020-01-01T00:00:00Z'), is_active: true });
    await insertReturningId(database.db, 'things', early);
    const rows = await database.db
      .selectFrom('things')
      .select('name')
      .where('created_at', '<', new Date('2021-01-01T00:00:00Z'))
      .where('is_active', '=', true)
      .execute();
    assert.deepEqual(
      rows.map((r) => r.name),
      [early.name],
    );
  });

  it('insertReturningId returns each new id', async () => {
    const first = await insertReturningId(database.db, 'things', aThing());
    const second = await insertReturningId(database.db, 'things', aThing());
    assert.equal(typeof first, 'number');
    assert.equal(second, first + 1);
  });

  it('paged returns the requested slice of an ordered query', async () => {
    await database.db.deleteFrom('things').execute();
    for (let i = 1; i <= 7; i++)
      await insertReturningId(database.db, 'things', aThing({ name: `page-${i}` }));
    const page = await paged(database.db, database.db.selectFrom('things').select('name').orderBy('name'), {
      offset: 2,
      limit: 3,
    }).execute();
    assert.deepEqual(
      page.map((r) => r.name),
      ['page-3', 'page-4', 'page-5'],
    );
  });

  it('isUniqueViolation recognises a unique index violation', async () => {
    await insertReturningId(database.db, 'things', aThing({ name: 'unique-name' }));
    const error = await insertReturningId(database.db, 'things', aThing({ name: 'unique-name' })).then(
      () => assert.fail('the duplicate was inserted'),
      (e: unknown) => e,
    );
    assert.equal(isUniqueViolation(error), true);
  });

  it('isUniqueViolation is false for other errors', async () => {
    const error = await database.db
      .insertInto('things')
      .values({ name: null as unknown as string, created_at: new Date(), is_active: true })
      .execute()
      .then(
        () => assert.fail('a null name was inserted'),
        (e: unknown) => e,
      );
    assert.equal(isUniqueViolation(error), false);
    assert.equal(isUniqueViolation(new Error('boom')), false);
    assert.equal(isUniqueViolation(undefined), false);
  });
});

describe('db helpers compiled for Azure SQL', () => {
  it('recognises the dialect', () => {
    assert.equal(dialectOf(compileOnlyMssql().db), 'mssql');
  });

  it('paged compiles to offset ... rows fetch next ... rows only', () => {
    const { db } = compileOnlyMssql();
    const query = paged(db, db.selectFrom('things').select('name').orderBy('id'), {
      offset: 20,
      limit: 10,
    }).compile();
    assert.match(query.sql, /order by "id" offset @\d+ rows fetch next @\d+ rows only$/);
    assert.doesNotMatch(query.sql, /\blimit\b/);
    assert.deepEqual(query.parameters, [20, 10]);
  });

  it('insertReturningId uses output inserted.id', async () => {
    const { db, statements } = compileOnlyMssql();
    // The dummy driver returns no row, so the helper throws after the statement was compiled.
    await assert.rejects(insertReturningId(db, 'things', aThing()));
    assert.equal(statements.length, 1);
    assert.match(statements[0]!, /^insert into "things" \(.*\) output "inserted"\."id" as "id" values/);
    assert.doesNotMatch(statements[0]!, /\breturning\b/);
  });

  it('migrations get T-SQL column types and an identity id', async () => {
    const { db, statements } = compileOnlyMssql();
    await createThings.up(db, 'mssql');
    const create = statements[0] ?? '';
    assert.match(create, /"id" integer identity primary key/);
    assert.match(create, /"created_at" datetime2\(3\) not null/);
    assert.match(create, /"is_active" bit not null/);
    assert.match(create, /"name" nvarchar\(50\) not null/);
  });

  it('isUniqueViolation recognises SQL Server errors 2627 and 2601', () => {
    assert.equal(isUniqueViolation({ number: 2627 }), true);
    assert.equal(isUniqueViolation({ originalError: { info: { number: 2601 } } }), true);
    assert.equal(isUniqueViolation({ number: 547 }), false);
  });

  it("isUniqueViolation recognises mssql's RequestError for a duplicate key", () => {
    const fromServer = (number: number) =>
      new mssql.RequestError(Object.assign(new Error('duplicate key'), { info: { number } }), 'EREQUEST');
    assert.equal(isUniqueViolation(fromServer(2627)), true);
    assert.equal(isUniqueViolation(fromServer(2601)), true);
    assert.equal(isUniqueViolation(fromServer(515)), false);
    assert.equal(isUniqueViolation(new mssql.ConnectionError('Login failed', 'ELOGIN')), false);
  });

  it('readId accepts bigint identities returned as text', () => {
    assert.equal(readId('42'), 42);
    assert.equal(readId(7), 7);
    assert.throws(() => readId('x'));
    assert.throws(() => readId(null));
  });
});
