import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, sql, type Generated, type IsolationLevel } from 'kysely';
import { loadConfig } from '../config/config.js';
import { MssqlDouble } from '../testing/mssql-double.js';
import { columnTypes, withIdColumn } from './columns.js';
import { RowConventionsPlugin } from './conventions.js';
import { insertReturningId, isUniqueViolation } from './dialect.js';
import { mssqlDialect } from './mssql-driver.js';
import { createSqlServerDatabases, dropSqlServerDatabases } from './sqlserver-admin.js';
import { sqlServerDatabaseName, sqlServerPool } from './sqlserver.js';

/**
 * The Azure SQL driver's contract: one suite, run against the `mssql` test double here and, when
 * SQL_SERVER (with SQL_USER / SQL_PASSWORD) is set, against that SQL Server too (the GitHub
 * workflow's SQL Server 2022 container), in a database of its own.
 */

interface ThingsTable {
  id: Generated<number>;
  name: string;
  tag: string;
  quantity: number;
  /** bigint: mssql reads it as text, so it is compared as a number. */
  big: number | string | null;
  is_flag: boolean;
  created_at: Date;
  data: Buffer | null;
}
interface Tables {
  driver_things: ThingsTable;
}

interface Target {
  name: string;
  open(): Promise<{ db: Kysely<Tables>; close(): Promise<void> }>;
}

const withConventions = (dialect: ReturnType<typeof mssqlDialect>) =>
  new Kysely<Tables>({ dialect, plugins: [new RowConventionsPlugin()] });

const doubleTarget: Target = {
  name: 'the mssql test double',
  async open() {
    const server = new MssqlDouble();
    const db = withConventions(mssqlDialect(() => server.pool()));
    return {
      db,
      async close() {
        await db.destroy();
        server.dispose();
      },
    };
  },
};

const sqlServerTarget: Target = {
  name: `SQL Server at ${process.env['SQL_SERVER']}`,
  async open() {
    const env = process.env;
    const keys = ['SQL_SERVER', 'SQL_PORT', 'SQL_USER', 'SQL_PASSWORD', 'SQL_TRUST_SERVER_CERTIFICATE'];
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'driver-contract-'));
    const config = loadConfig({
      ...Object.fromEntries(keys.filter((k) => env[k] !== undefined).map((k) => [k, env[k]])),
      SQL_DATABASE_PREFIX: `d${randomBytes(4).toString('hex')}_`,
      DATA_DIR: dataDir,
    });
    await createSqlServerDatabases(config, ['driver']);
    const db = withConventions(
      mssqlDialect(() => sqlServerPool(sqlServerDatabaseName('driver', config), config)),
    );
    return {
      db,
      async close() {
        await db.destroy();
        await dropSqlServerDatabases(config, ['driver']);
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
};

const targets = process.env['SQL_SERVER'] ? [doubleTarget, sqlServerTarget] : [doubleTarget];

const aThing = (overrides: Partial<Omit<ThingsTable, 'id'>> = {}) => ({
  name: `thing-${randomBytes(6).toString('hex')}`,
  tag: 'any',
  quantity: 1,
  big: null,
  is_flag: false,
  created_at: new Date('2026-03-04T05:06:07.089Z'),
  ...overrides,
});

const rejection = (work: Promise<unknown>) =>
  work.then(
    () => assert.fail('the statement succeeded'),
    (error: unknown) => error,
  );

for (const target of targets) {
  describe(`the Azure SQL driver against ${target.name}`, () => {
    let db: Kysely<Tables>;
    let close: () => Promise<void>;
    const names = (tag: string) =>
      db
        .selectFrom('driver_things')
        .select('name')
        .where('tag', '=', tag)
        .orderBy('name')
        .execute()
        .then((rows) => rows.map((r) => r.name));

    before(async () => {
      ({ db, close } = await target.open());
      const t = columnTypes('mssql');
      await withIdColumn(db, db.schema.createTable('driver_things'))
        .addColumn('name', t.text(100), (c) => c.notNull())
        .addColumn('tag', t.text(50), (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('big', 'bigint')
        .addColumn('is_flag', t.bool, (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('data', sql`varbinary(max)`)
        .execute();
      await db.schema
        .createIndex('ux_driver_things_name')
        .on('driver_things')
        .column('name')
        .unique()
        .execute();
    });

    after(() => close());

    it('returns the rows a query selects, each column as the repositories read it', async () => {
      const values = aThing({
        name: 'Ünïcødé ☕ 𝄞',
        quantity: 2_147_483_647,
        big: 2 ** 40,
        is_flag: true,
        data: Buffer.from([0, 1, 254, 255]),
      });
      const id = await insertReturningId(db, 'driver_things', values);
      assert.equal(typeof id, 'number');
      const row = await db
        .selectFrom('driver_things')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(row.name, values.name);
      assert.equal(row.quantity, 2_147_483_647);
      assert.equal(Number(row.big), 2 ** 40);
      assert.equal(row.is_flag, true);
      assert.ok(row.created_at instanceof Date);
      assert.equal(row.created_at.toISOString(), '2026-03-04T05:06:07.089Z');
      assert.deepEqual(row.data, Buffer.from([0, 1, 254, 255]));
    });

    it('compares columns with parameters of each type', async () => {
      const values = aThing({ tag: 'compare', big: 2 ** 33, is_flag: true });
      await insertReturningId(db, 'driver_things', values);
      const found = await db
        .selectFrom('driver_things')
        .select('name')
        .where('tag', '=', 'compare')
        .where('big', '=', 2 ** 33)
        .where('is_flag', '=', true)
        .where('created_at', '=', new Date('2026-03-04T05:06:07.089Z'))
        .where('created_at', '<', new Date('2026-03-04T05:06:07.090Z'))
        .execute();
      assert.deepEqual(
        found.map((r) => r.name),
        [values.name],
      );
    });

    it('counts the rows an insert, an update and a delete affect', async () => {
      const inserted = await db
        .insertInto('driver_things')
        .values(aThing({ tag: 'count' }))
        .executeTakeFirst();
      assert.equal(inserted.numInsertedOrUpdatedRows, 1n);
      for (let i = 0; i < 2; i++) await insertReturningId(db, 'driver_things', aThing({ tag: 'count' }));
      const updated = await db
        .updateTable('driver_things')
        .set((eb) => ({ quantity: eb('quantity', '+', 1) }))
        .where('tag', '=', 'count')
        .executeTakeFirst();
      assert.equal(updated.numUpdatedRows, 3n);
      const none = await db
        .updateTable('driver_things')
        .set({ quantity: 0 })
        .where('tag', '=', 'no such tag')
        .executeTakeFirst();
      assert.equal(none.numUpdatedRows, 0n);
      const deleted = await db.deleteFrom('driver_things').where('tag', '=', 'count').executeTakeFirst();
      assert.equal(deleted.numDeletedRows, 3n);
    });

    it('commits a transaction', async () => {
      const name = await db.transaction().execute(async (trx) => {
        const values = aThing({ tag: 'commit' });
        await insertReturningId(trx, 'driver_things', values);
        return values.name;
      });
      assert.deepEqual(await names('commit'), [name]);
    });

    it('rolls a transaction back when its work fails', async () => {
      const failure = await rejection(
        db.transaction().execute(async (trx) => {
          await insertReturningId(trx, 'driver_things', aThing({ tag: 'rollback' }));
          throw new Error('changed my mind');
        }),
      );
      assert.equal((failure as Error).message, 'changed my mind');
      assert.deepEqual(await names('rollback'), []);
    });

    it('begins each transaction at the isolation level asked for', async () => {
      const level = (trx: Kysely<Tables>) =>
        sql<{
          level: number;
        }>`select transaction_isolation_level as "level" from sys.dm_exec_sessions where session_id = @@spid`
          .execute(trx)
          .then((r) => Number(r.rows[0]?.level));
      const levels: [IsolationLevel, number][] = [
        ['read uncommitted', 1],
        ['read committed', 2],
        ['repeatable read', 3],
        ['serializable', 4],
      ];
      for (const [isolation, expected] of levels) {
        assert.equal(await db.transaction().setIsolationLevel(isolation).execute(level), expected, isolation);
      }
      assert.equal(await db.transaction().execute(level), 2, 'read committed unless asked');
    });

    it('runs the statements of a transaction one after another, even when started together', async () => {
      await db.transaction().execute(async (trx) => {
        await Promise.all(
          [1, 2, 3, 4, 5].map((n) =>
            insertReturningId(trx, 'driver_things', aThing({ tag: 'together', quantity: n })),
          ),
        );
      });
      assert.equal((await names('together')).length, 5);
    });

    it('reports a duplicate key as a unique violation, and a transaction goes on after it', async () => {
      const taken = aThing({ tag: 'unique' });
      await insertReturningId(db, 'driver_things', taken);
      assert.equal(isUniqueViolation(await rejection(insertReturningId(db, 'driver_things', taken))), true);

      const other = aThing({ tag: 'unique' });
      await db.transaction().execute(async (trx) => {
        const duplicate = await rejection(insertReturningId(trx, 'driver_things', { ...taken }));
        assert.equal(isUniqueViolation(duplicate), true);
        await insertReturningId(trx, 'driver_things', other);
      });
      assert.deepEqual(await names('unique'), [taken.name, other.name].sort());
    });

    it('reports other failures as they are, not as unique violations', async () => {
      const failure = await rejection(
        db
          .insertInto('driver_things')
          .values({ ...aThing(), name: null as unknown as string })
          .execute(),
      );
      assert.ok(failure instanceof Error);
      assert.equal(isUniqueViolation(failure), false);
    });

    it('sends each parameter as the type of the column it meets', async () => {
      const typeOf = (value: unknown) =>
        sql<{
          type: string;
          scale: number;
        }>`select sql_variant_property(${value}, 'BaseType') as "type", sql_variant_property(${value}, 'Scale') as "scale"`
          .execute(db)
          .then((r) => ({ type: r.rows[0]?.type, scale: Number(r.rows[0]?.scale) }));
      assert.equal((await typeOf('text')).type, 'nvarchar');
      assert.equal((await typeOf(7)).type, 'int');
      assert.equal((await typeOf(2 ** 40)).type, 'bigint');
      assert.equal((await typeOf(5n)).type, 'bigint');
      assert.equal((await typeOf(true)).type, 'bit');
      assert.deepEqual(await typeOf(new Date()), { type: 'datetime2', scale: 3 });
      assert.equal((await typeOf(Buffer.from([1, 2]))).type, 'varbinary');
    });

    it('leaves an empty varbinary column out: a null parameter is nvarchar, which SQL Server does not convert', async () => {
      const failure = await rejection(insertReturningId(db, 'driver_things', aThing({ data: null })));
      assert.equal((failure as { number?: number }).number, 257, String(failure));
      const id = await insertReturningId(db, 'driver_things', aThing());
      const row = await db
        .selectFrom('driver_things')
        .select('data')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(row.data, null);
    });

    it('rolls back to a savepoint and keeps what came before it', async () => {
      const kept = aThing({ tag: 'savepoint' });
      const trx = await db.startTransaction().execute();
      await insertReturningId(trx, 'driver_things', kept);
      const saved = await trx.savepoint('before_second').execute();
      await insertReturningId(saved, 'driver_things', aThing({ tag: 'savepoint' }));
      await saved.rollbackToSavepoint('before_second').execute();
      await trx.commit().execute();
      assert.deepEqual(await names('savepoint'), [kept.name]);
    });

    it('streams the rows of a query in chunks', async () => {
      const expected: string[] = [];
      for (let i = 0; i < 5; i++) {
        const values = aThing({ tag: 'stream' });
        await insertReturningId(db, 'driver_things', values);
        expected.push(values.name);
      }
      const streamed: string[] = [];
      for await (const row of db
        .selectFrom('driver_things')
        .select('name')
        .where('tag', '=', 'stream')
        .orderBy('name')
        .stream(2)) {
        streamed.push(row.name);
      }
      assert.deepEqual(streamed, expected.sort());
    });

    // Last: XACT_ABORT stays on the connection, which goes back to the pool (mssql does not reset it).
    it("reports the statement's own error when the server has rolled the transaction back", async () => {
      const taken = aThing({ tag: 'aborted' });
      await insertReturningId(db, 'driver_things', taken);
      const failure = await rejection(
        db.transaction().execute(async (trx) => {
          await sql`set xact_abort on`.execute(trx);
          await insertReturningId(trx, 'driver_things', aThing({ tag: 'aborted' }));
          await insertReturningId(trx, 'driver_things', { ...taken });
        }),
      );
      assert.equal((failure as Error).name, 'RequestError', String(failure));
      assert.equal(isUniqueViolation(failure), true);
      assert.deepEqual(await names('aborted'), [taken.name]);
    });
  });
}
