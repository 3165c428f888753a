import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Kysely, sql as kysql } from 'kysely';
import sql from 'mssql';
import { declarationOf, MssqlDouble } from '../testing/mssql-double.js';
import { isWakingError, mssqlDialect, sqlParameter, type WakePolicy } from './mssql-driver.js';

const typed = (value: unknown) => {
  const { type, value: sent } = sqlParameter(value);
  const t = type as typeof type & { length?: number; scale?: number };
  return { declaration: declarationOf(type), length: t.length, scale: t.scale, sent };
};

describe('sqlParameter: each value is sent as the type of the column it meets', () => {
  it('sends text as nvarchar(4000), or nvarchar(max) beyond 4000 characters', () => {
    assert.deepEqual(typed('tea'), { declaration: 'nvarchar', length: 4000, scale: undefined, sent: 'tea' });
    assert.equal(typed('x'.repeat(4000)).length, 4000);
    assert.equal(typed('x'.repeat(4001)).length, sql.MAX);
  });

  it('sends integers as int within its range and bigint beyond it; fractions as float', () => {
    assert.equal(typed(0).declaration, 'int');
    assert.equal(typed(2 ** 31 - 1).declaration, 'int');
    assert.equal(typed(-(2 ** 31)).declaration, 'int');
    assert.equal(typed(2 ** 31).declaration, 'bigint');
    assert.equal(typed(-(2 ** 31) - 1).declaration, 'bigint');
    assert.equal(typed(12n).declaration, 'bigint');
    assert.equal(typed(1.5).declaration, 'float');
  });

  it('sends booleans as bit, Dates as datetime2(3), bytes as varbinary', () => {
    assert.equal(typed(false).declaration, 'bit');
    const when = new Date('2026-01-02T03:04:05.678Z');
    assert.deepEqual(typed(when), { declaration: 'datetime2', length: undefined, scale: 3, sent: when });
    assert.deepEqual(typed(Buffer.from([1])).length, 8000);
    assert.equal(typed(Buffer.alloc(8001)).length, sql.MAX);
    const view = typed(new Uint8Array([7, 8, 9]).subarray(1));
    assert.equal(view.declaration, 'varbinary');
    assert.deepEqual(view.sent, Buffer.from([8, 9]));
  });

  it('sends null and undefined as an nvarchar null', () => {
    assert.deepEqual(typed(null), { declaration: 'nvarchar', length: 4000, scale: undefined, sent: null });
    assert.equal(typed(undefined).sent, null);
  });

  it('refuses values no column holds', () => {
    assert.throws(() => sqlParameter({ a: 1 }), TypeError);
    assert.throws(() => sqlParameter([1]), TypeError);
  });
});

describe('isWakingError', () => {
  it('is true for an unreachable server and a database that asks to be retried', () => {
    assert.equal(isWakingError(new sql.ConnectionError('connect ECONNREFUSED', 'ESOCKET')), true);
    assert.equal(isWakingError(new sql.ConnectionError('Failed to connect in 30000ms', 'ETIMEOUT')), true);
    const resuming =
      "Database 'shop_catalog' on server 'shop.database.windows.net' is not currently available. Please retry the connection later.";
    assert.equal(isWakingError(new sql.ConnectionError(resuming, 'ELOGIN')), true);
  });

  it('is false for a refused login and for anything that reached the server', () => {
    assert.equal(isWakingError(new sql.ConnectionError("Login failed for user 'shop'.", 'ELOGIN')), false);
    assert.equal(isWakingError(new sql.RequestError('Invalid column name', 'EREQUEST')), false);
    assert.equal(isWakingError(new Error('ESOCKET')), false);
  });
});

describe('the driver on a database waking from auto-pause', () => {
  let server: MssqlDouble;
  let slept: number[];
  let db: Kysely<unknown>;
  const resuming = () =>
    new sql.ConnectionError(
      "Database 'shop_catalog' on server 'shop' is not currently available. Please retry the connection later.",
      'ELOGIN',
    );
  const policy = (budgetMs = 90_000): WakePolicy => ({
    firstDelayMs: 1_000,
    maxDelayMs: 15_000,
    budgetMs,
    sleep: async (ms) => {
      slept.push(ms);
    },
  });
  const open = (wake = policy()) => new Kysely<unknown>({ dialect: mssqlDialect(() => server.pool(), wake) });
  const one = () => kysql<{ ok: number }>`select 1 as ok`.execute(db);

  beforeEach(() => {
    server = new MssqlDouble();
    slept = [];
  });
  afterEach(async () => {
    await db.destroy();
    server.dispose();
  });

  it('keeps trying the first connection, with doubling delays, until the database answers', async () => {
    server.failConnections(
      resuming(),
      resuming(),
      new sql.ConnectionError('Failed to connect in 30000ms', 'ETIMEOUT'),
    );
    db = open();
    assert.deepEqual((await one()).rows, [{ ok: 1 }]);
    assert.deepEqual(slept, [1_000, 2_000, 4_000]);
    assert.equal(server.connects, 1);
  });

  it('gives up once the next wait would pass the budget', async () => {
    server.failConnections(...Array.from({ length: 10 }, resuming));
    db = open(policy(10_000));
    await assert.rejects(one(), /not currently available/);
    assert.deepEqual(slept, [1_000, 2_000, 4_000]);
  });

  it('does not retry a login refused for good', async () => {
    server.failConnections(new sql.ConnectionError("Login failed for user 'shop'.", 'ELOGIN'));
    db = open();
    await assert.rejects(one(), /Login failed/);
    assert.deepEqual(slept, []);
  });

  it('retries getting a connection for a statement once the pool is open (an idle pool has none)', async () => {
    db = open();
    await one();
    server.failConnections(resuming(), new sql.ConnectionError('read ECONNRESET', 'ESOCKET'));
    assert.deepEqual((await one()).rows, [{ ok: 1 }]);
    assert.deepEqual(slept, [1_000, 2_000]);
    assert.equal(server.requests.length, 2, 'each statement reached the server once');
  });

  it('retries beginning a transaction the same way', async () => {
    db = open();
    await one();
    server.failConnections(resuming());
    await db.transaction().execute(async (trx) => kysql`select 1 as ok`.execute(trx));
    assert.deepEqual(slept, [1_000]);
    assert.equal(server.begun.length, 1);
  });

  it('never runs a statement twice: a failure from the server is reported at once', async () => {
    db = open();
    await assert.rejects(kysql`select * from no_such_table`.execute(db));
    assert.deepEqual(slept, []);
    assert.equal(server.requests.length, 1);
  });

  it('closes the pool when the database is closed', async () => {
    db = open();
    await one();
    await db.destroy();
    assert.equal(server.closes, 1);
    db = open();
  });
});
