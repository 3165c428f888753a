import { setTimeout as sleep } from 'node:timers/promises';
import type { Readable, ReadableOptions } from 'node:stream';
import {
  MssqlAdapter,
  MssqlIntrospector,
  MssqlQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type IsolationLevel,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import sql, { type IIsolationLevel, type ISqlType } from 'mssql';

/**
 * Kysely's SQL Server dialect (its adapter, query compiler and introspector) on an `mssql`
 * ConnectionPool, through this small driver:
 * - outside a transaction every statement is one `pool.request()`: the pool lends a connection for
 *   the statement and takes it back, so session state (temporary tables, SET options, session app
 *   locks) does not carry from one statement to the next; `Database.withSession` gives work that
 *   needs one session (Kysely's migration lock) a pool of one connection;
 * - a transaction is an `mssql` Transaction begun with the isolation level Kysely asks for, or
 *   mssql's default READ COMMITTED (every transaction names its level: SQL Server keeps a session's
 *   level after the transaction, and mssql does not reset a connection it takes back); Kysely runs
 *   a transaction's statements one after another, and savepoints are `save transaction` /
 *   `rollback transaction` on its connection;
 * - parameters are typed the way our columns are (see sqlParameter);
 * - rows come back as `mssql` reads them (datetime2 as Date, bit as boolean; bigint as a number, see
 *   readBigint) and
 *   numAffectedRows is the statement's row count;
 * - errors are `mssql`'s own (RequestError carries the server's error number, which
 *   isUniqueViolation reads); a connection that cannot be made because the database is waking from
 *   auto-pause is retried with back-off (see WakePolicy).
 */

/** The slice of `mssql` the driver uses. A ConnectionPool is one; so is the test double. */
export interface SqlPool {
  connect(): Promise<unknown>;
  close(): Promise<void>;
  request(): SqlRequest;
  transaction(): SqlTransaction;
}

export interface SqlRequest {
  input(name: string, type: ISqlType, value: unknown): unknown;
  query(command: string): Promise<SqlResult>;
  /** Puts the request in stream mode: rows arrive on the stream once `query` is called. */
  toReadableStream(options?: ReadableOptions): Readable;
}

export interface SqlTransaction {
  begin(isolationLevel?: IIsolationLevel): Promise<unknown>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  request(): SqlRequest;
}

export interface SqlResult {
  recordset?: Record<string, unknown>[] | undefined;
  /** One count per statement of the batch. */
  rowsAffected: number[];
}

/**
 * A serverless Azure SQL database that has auto-paused refuses connections while it resumes, which
 * takes up to a minute. Making a connection (never running a statement twice) is retried with
 * doubling delays, waiting at most `budgetMs` in all (1 + 2 + 4 + 8 + 15 + ... s: 90 s by default).
 */
export interface WakePolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  budgetMs: number;
  sleep?: (ms: number) => Promise<void>;
}

export const AZURE_SQL_WAKE: WakePolicy = { firstDelayMs: 1_000, maxDelayMs: 15_000, budgetMs: 90_000 };

export function mssqlDialect(createPool: () => SqlPool, wake: WakePolicy = AZURE_SQL_WAKE): Dialect {
  return {
    createAdapter: () => new MssqlAdapter(),
    createDriver: () => new MssqlPoolDriver(createPool(), wake),
    createIntrospector: (db) => new MssqlIntrospector(db),
    createQueryCompiler: () => new MssqlQueryCompiler(),
  };
}

/**
 * bigint columns (money in minor units and points that pass 2^31) come back as numbers, like every
 * other integer column: tedious reads them as text to keep values beyond 2^53 exact, which none of
 * ours reaches (one beyond it stays text, so it is never silently rounded). mssql's value handlers
 * are per process, by type.
 */
export function readBigint(value: unknown): unknown {
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) return value;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}
(sql as unknown as { valueHandler: Map<unknown, (value: unknown) => unknown> }).valueHandler.set(
  sql.TYPES.BigInt,
  readBigint,
);

/** The driver's own T-SQL (the T-SQL check parses it too); the savepoint's name is a parameter. */
export const SAVEPOINT_STATEMENTS = {
  save: 'save transaction @name',
  rollbackTo: 'rollback transaction @name',
} as const;

const NVARCHAR_LENGTH = 4000;
const VARBINARY_LENGTH = 8000;
const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/**
 * The SQL type a value is sent as, matching the columns (shared/db/columns.ts): strings are
 * nvarchar(4000), or nvarchar(max) when longer, so one statement keeps one cached plan whatever the
 * value's length; integers are int, or bigint beyond its range; booleans bit; Dates datetime2(3) (UTC,
 * the `*_at` columns); bytes varbinary(8000) or varbinary(max). A null has no type of its own and
 * goes as an nvarchar null, which converts to any of our column types but varbinary: an insert
 * leaves an empty varbinary column out (SQL Server refuses the conversion, error 257).
 */
export function sqlParameter(value: unknown): { type: ISqlType; value: unknown } {
  if (value === null || value === undefined) return { type: sql.NVarChar(NVARCHAR_LENGTH), value: null };
  if (typeof value === 'string')
    return { type: sql.NVarChar(value.length <= NVARCHAR_LENGTH ? NVARCHAR_LENGTH : sql.MAX), value };
  if (typeof value === 'boolean') return { type: sql.Bit(), value };
  if (typeof value === 'bigint') return { type: sql.BigInt(), value };
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return { type: sql.Float(), value };
    return { type: value >= INT_MIN && value <= INT_MAX ? sql.Int() : sql.BigInt(), value };
  }
  if (value instanceof Date) return { type: sql.DateTime2(3), value };
  if (value instanceof Uint8Array) {
    const bytes = Buffer.isBuffer(value)
      ? value
      : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return {
      type: sql.VarBinary(bytes.length <= VARBINARY_LENGTH ? VARBINARY_LENGTH : sql.MAX),
      value: bytes,
    };
  }
  throw new TypeError(`a ${typeof value} cannot be a SQL parameter`);
}

const ISOLATION_LEVELS: Record<IsolationLevel, IIsolationLevel> = {
  'read uncommitted': sql.ISOLATION_LEVEL.READ_UNCOMMITTED,
  'read committed': sql.ISOLATION_LEVEL.READ_COMMITTED,
  'repeatable read': sql.ISOLATION_LEVEL.REPEATABLE_READ,
  serializable: sql.ISOLATION_LEVEL.SERIALIZABLE,
  snapshot: sql.ISOLATION_LEVEL.SNAPSHOT,
};

/**
 * True for a connection that could not be made but may be shortly: the server unreachable or slow
 * to answer (ESOCKET, ETIMEOUT), or a login refused because the database is resuming or busy (Azure
 * SQL errors 40613, 40501, 40197 and the like, which all ask the client to retry; tedious has
 * already retried each a few times itself). A wrong password or an unknown database is not.
 */
export function isWakingError(error: unknown): boolean {
  if (!(error instanceof sql.ConnectionError)) return false;
  if (error.code === 'ESOCKET' || error.code === 'ETIMEOUT') return true;
  return (
    error.code === 'ELOGIN' && /not currently available|currently busy|try again|retry/i.test(error.message)
  );
}

async function whileWaking<T>(attempt: () => Promise<T>, wake: WakePolicy): Promise<T> {
  let waited = 0;
  for (let delay = wake.firstDelayMs; ; delay = Math.min(delay * 2, wake.maxDelayMs)) {
    try {
      return await attempt();
    } catch (error) {
      if (!isWakingError(error) || waited + delay > wake.budgetMs) throw error;
      waited += delay;
      await (wake.sleep ?? sleep)(delay);
    }
  }
}

class MssqlPoolDriver implements Driver {
  readonly #pool: SqlPool;
  readonly #wake: WakePolicy;
  // Kysely keeps every connection object it is given, so released ones are lent again.
  readonly #idle: MssqlPoolConnection[] = [];

  constructor(pool: SqlPool, wake: WakePolicy) {
    this.#pool = pool;
    this.#wake = wake;
  }

  async init(): Promise<void> {
    await whileWaking(() => this.#pool.connect(), this.#wake);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#idle.pop() ?? new MssqlPoolConnection(this.#pool, this.#wake);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await own(connection).begin(settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await own(connection).commit();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await own(connection).rollback();
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await own(connection).savepoint(SAVEPOINT_STATEMENTS.save, name);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await own(connection).savepoint(SAVEPOINT_STATEMENTS.rollbackTo, name);
  }

  // T-SQL cannot release a savepoint (it lasts until the transaction ends), so there is no
  // releaseSavepoint, as in Kysely's own MSSQL driver: Kysely reports it unsupported.

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const released = own(connection);
    released.reset();
    this.#idle.push(released);
  }

  async destroy(): Promise<void> {
    await this.#pool.close();
  }
}

function own(connection: DatabaseConnection): MssqlPoolConnection {
  if (!(connection instanceof MssqlPoolConnection)) throw new Error('not a connection of this driver');
  return connection;
}

class MssqlPoolConnection implements DatabaseConnection {
  readonly #pool: SqlPool;
  readonly #wake: WakePolicy;
  #transaction: SqlTransaction | undefined;

  constructor(pool: SqlPool, wake: WakePolicy) {
    this.#pool = pool;
    this.#wake = wake;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const transaction = this.#transaction;
    const result = transaction
      ? await prepared(transaction.request(), query).query(query.sql)
      : await whileWaking(() => prepared(this.#pool.request(), query).query(query.sql), this.#wake);
    const affected = result.rowsAffected.reduce((sum, n) => sum + n, 0);
    return {
      rows: (result.recordset ?? []) as R[],
      numAffectedRows: result.rowsAffected.length > 0 ? BigInt(affected) : undefined,
    };
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    if (!Number.isInteger(chunkSize) || chunkSize <= 0)
      throw new Error('chunkSize must be a positive integer');
    const request = prepared(this.#transaction?.request() ?? this.#pool.request(), query);
    const stream = request.toReadableStream({ highWaterMark: chunkSize });
    // In stream mode a failure reaches the stream as an error; the promise only reports the end.
    request.query(query.sql).catch(() => {});
    let rows: R[] = [];
    for await (const row of stream) {
      rows.push(row as R);
      if (rows.length === chunkSize) {
        yield { rows };
        rows = [];
      }
    }
    if (rows.length > 0) yield { rows };
  }

  async begin(settings: TransactionSettings): Promise<void> {
    if (settings.accessMode) throw new Error('SQL Server has no read-only or read-write transactions');
    const level = settings.isolationLevel ? ISOLATION_LEVELS[settings.isolationLevel] : undefined;
    this.#transaction = await whileWaking(async () => {
      const transaction = this.#pool.transaction();
      await transaction.begin(level);
      return transaction;
    }, this.#wake);
  }

  async commit(): Promise<void> {
    await this.#current().commit();
    this.#transaction = undefined;
  }

  async rollback(): Promise<void> {
    const transaction = this.#transaction;
    this.#transaction = undefined;
    if (!transaction) return;
    try {
      await transaction.rollback();
    } catch (error) {
      // EABORT: the server has already rolled it back (XACT_ABORT, a deadlock victim); ENOTBEGUN: a
      // failed commit has already ended it. Either way nothing is left to undo, and Kysely rethrows
      // the error that brought us here, which says what happened.
      const code = error instanceof sql.TransactionError ? error.code : undefined;
      if (code !== 'EABORT' && code !== 'ENOTBEGUN') throw error;
    }
  }

  async savepoint(command: string, name: string): Promise<void> {
    const request = this.#current().request();
    request.input('name', sql.NVarChar(32), name);
    await request.query(command);
  }

  reset(): void {
    this.#transaction = undefined;
  }

  #current(): SqlTransaction {
    if (!this.#transaction) throw new Error('no transaction has begun on this connection');
    return this.#transaction;
  }
}

function prepared(request: SqlRequest, query: CompiledQuery): SqlRequest {
  // MssqlQueryCompiler numbers the parameters @1, @2, ...
  query.parameters.forEach((value, i) => {
    const parameter = sqlParameter(value);
    request.input(String(i + 1), parameter.type, parameter.value);
  });
  return request;
}
