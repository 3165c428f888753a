import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import sql, { type IIsolationLevel, type ISqlType } from 'mssql';
import type { SqlPool, SqlRequest, SqlResult, SqlTransaction } from '../db/mssql-driver.js';

/**
 * A test double of the slice of `mssql` the driver uses (ConnectionPool connect/close/request/
 * transaction, Request input/query/toReadableStream, Transaction begin/commit/rollback/request),
 * with SQLite underneath so statements really run: the statements Kysely's MSSQL compiler writes
 * for the driver's contract suite are turned into SQLite (`@1` parameters, `output inserted.*`,
 * `identity`, `offset ... fetch`, savepoints), each transaction has a SQLite connection of its own
 * (so what it has not committed stays invisible), and it behaves like mssql where the driver
 * depends on it:
 * - failures are mssql's error classes: RequestError with the server's number (2601/2627 for a
 *   duplicate key, 515 for a null in a not-null column), ConnectionError, TransactionError;
 * - a parameter's value must fit its declared type, as tedious validates it, and a varbinary column
 *   takes only a varbinary parameter (SQL Server does not convert nvarchar, not even a null, error 257);
 * - a transaction refuses a second request while one runs (EREQINPROG), and after
 *   `set xact_abort on` a failing statement rolls it back, so rollback/commit report EABORT;
 * - it answers two probes a real server answers, so the same tests run against both:
 *   `sql_variant_property(@n, 'BaseType' | 'Scale')` (the parameter's declared type) and
 *   `transaction_isolation_level ... sys.dm_exec_sessions ... @@spid` (the level begun with).
 * Tests can make the next attempts to get a connection fail (`failConnections`), as a database
 * waking from auto-pause does.
 */
export class MssqlDouble {
  readonly file: string;
  /** Every request that reached the server: the statement and its parameters as declared. */
  readonly requests: { sql: string; inputs: DeclaredInput[] }[] = [];
  /** The isolation level of every transaction begun (undefined: mssql's default). */
  readonly begun: (IIsolationLevel | undefined)[] = [];
  connects = 0;
  closes = 0;
  readonly #failures: Error[] = [];
  readonly #dir: string;
  readonly #main: SQLite.Database;

  constructor() {
    this.#dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mssql-double-'));
    this.file = path.join(this.#dir, 'db.sqlite');
    this.#main = openSqlite(this.file);
  }

  /** The next attempts to connect or to get a connection for a request fail with these errors. */
  failConnections(...errors: Error[]): void {
    this.#failures.push(...errors);
  }

  pool(): SqlPool {
    return new DoublePool(this, this.#main);
  }

  dispose(): void {
    this.#main.close();
    fs.rmSync(this.#dir, { recursive: true, force: true });
  }

  /** @internal */
  takeFailure(): Error | undefined {
    return this.#failures.shift();
  }
}

export interface DeclaredInput {
  name: string;
  /** T-SQL type name as mssql declares it: nvarchar, int, bigint, bit, datetime2, varbinary, float. */
  declaration: string;
  length?: number | undefined;
  scale?: number | undefined;
  value: unknown;
}

/** The T-SQL name of an mssql type (`sql.Int()` -> `int`). */
export function declarationOf(type: ISqlType): string {
  return (type.type as unknown as { declaration: string }).declaration;
}

class DoublePool implements SqlPool {
  #connected = false;
  #closed = false;
  constructor(
    readonly server: MssqlDouble,
    readonly sqlite: SQLite.Database,
  ) {}

  async connect(): Promise<unknown> {
    await nextTurn();
    const failure = this.server.takeFailure();
    if (failure) throw failure;
    this.server.connects++;
    this.#connected = true;
    return this;
  }

  async close(): Promise<void> {
    this.server.closes++;
    this.#closed = true;
  }

  request(): SqlRequest {
    return new DoubleRequest(this, () => ({ sqlite: this.sqlite }));
  }

  transaction(): SqlTransaction {
    return new DoubleTransaction(this);
  }

  /** What a request must pass before it runs: an open pool, and a connection to get. */
  async acquire(): Promise<void> {
    await nextTurn();
    if (this.#closed) throw new sql.ConnectionError('Connection is closed.', 'ECONNCLOSED');
    if (!this.#connected) throw new sql.ConnectionError('Connection not yet open.', 'ENOTOPEN');
    const failure = this.server.takeFailure();
    if (failure) throw failure;
  }
}

interface Session {
  sqlite: SQLite.Database;
  /** In a transaction: its state, and how the server rolls it back. */
  state?: TransactionState;
  abort?: (reason: Error) => void;
}

interface TransactionState {
  level: IIsolationLevel | undefined;
  xactAbort: boolean;
  aborted: Error | undefined;
  busy: boolean;
}

class DoubleTransaction implements SqlTransaction {
  #sqlite: SQLite.Database | undefined;
  #state: TransactionState | undefined;
  constructor(readonly pool: DoublePool) {}

  async begin(isolationLevel?: IIsolationLevel): Promise<unknown> {
    if (this.#sqlite) throw new sql.TransactionError('Transaction has already begun.', 'EALREADYBEGUN');
    await this.pool.acquire();
    const sqlite = openSqlite(this.pool.server.file);
    sqlite.exec('begin');
    this.#sqlite = sqlite;
    this.#state = { level: isolationLevel, xactAbort: false, aborted: undefined, busy: false };
    this.pool.server.begun.push(isolationLevel);
    return this;
  }

  request(): SqlRequest {
    return new DoubleRequest(this.pool, () => {
      if (!this.#sqlite || !this.#state)
        throw new sql.TransactionError('Transaction has not begun. Call begin() first.', 'ENOTBEGUN');
      return { sqlite: this.#sqlite, state: this.#state, abort: (reason: Error) => this.abort(reason) };
    });
  }

  async commit(): Promise<void> {
    this.#end((sqlite) => sqlite.exec('commit'));
  }

  async rollback(): Promise<void> {
    this.#end((sqlite) => sqlite.exec('rollback'));
  }

  #end(finish: (sqlite: SQLite.Database) => void): void {
    const { sqlite, state } = { sqlite: this.#sqlite, state: this.#state };
    if (state?.aborted) {
      this.#sqlite = this.#state = undefined;
      throw Object.assign(new sql.TransactionError('Transaction has been aborted.', 'EABORT'), {
        originalError: state.aborted,
      });
    }
    if (!sqlite || !state)
      throw new sql.TransactionError('Transaction has not begun. Call begin() first.', 'ENOTBEGUN');
    if (state.busy)
      throw new sql.TransactionError(
        "Can't end the transaction. There is a request in progress.",
        'EREQINPROG',
      );
    try {
      finish(sqlite);
    } finally {
      sqlite.close();
      this.#sqlite = this.#state = undefined;
    }
  }

  /** @internal the server rolled the transaction back after an error under XACT_ABORT. */
  abort(reason: Error): void {
    if (!this.#sqlite || !this.#state) return;
    this.#sqlite.exec('rollback');
    this.#sqlite.close();
    this.#sqlite = undefined;
    this.#state.aborted = reason;
  }
}

class DoubleRequest implements SqlRequest {
  readonly #inputs: DeclaredInput[] = [];
  #stream: PassThrough | undefined;
  constructor(
    readonly pool: DoublePool,
    readonly session: () => Session,
  ) {}

  input(name: string, type: ISqlType, value: unknown): this {
    const t = type as ISqlType & { length?: number; scale?: number };
    this.#inputs.push({ name, declaration: declarationOf(type), length: t.length, scale: t.scale, value });
    return this;
  }

  toReadableStream(): Readable {
    this.#stream = new PassThrough({ objectMode: true });
    return this.#stream;
  }

  async query(command: string): Promise<SqlResult> {
    const stream = this.#stream;
    try {
      const result = await this.#run(command);
      if (stream) {
        for (const row of result.recordset ?? []) stream.write(row);
        stream.end();
      }
      return result;
    } catch (error) {
      if (!stream) throw error;
      stream.destroy(error as Error);
      return { rowsAffected: [] };
    }
  }

  async #run(command: string): Promise<SqlResult> {
    const session = this.session();
    const { state } = session;
    if (state?.busy)
      throw new sql.TransactionError(
        "Can't acquire connection for the request. There is another request in progress.",
        'EREQINPROG',
      );
    if (state) state.busy = true;
    try {
      if (!state) await this.pool.acquire();
      else await nextTurn();
      for (const input of this.#inputs) validate(input);
      this.pool.server.requests.push({ sql: command, inputs: [...this.#inputs] });
      return this.#execute(session, command);
    } finally {
      if (state) state.busy = false;
    }
  }

  #execute({ sqlite, state, abort }: Session, command: string): SqlResult {
    const probe = answerProbe(command, this.#inputs, state);
    if (probe) return { recordset: [probe], rowsAffected: [1] };
    if (/^set xact_abort on$/i.test(command)) {
      if (state) state.xactAbort = true;
      return { rowsAffected: [] };
    }
    const savepoint = /^(save|rollback) transaction @name$/i.exec(command);
    if (savepoint) {
      const name = `"${String(this.#inputs.find((i) => i.name === 'name')?.value).replaceAll('"', '""')}"`;
      sqlite.exec(savepoint[1]?.toLowerCase() === 'save' ? `savepoint ${name}` : `rollback to ${name}`);
      return { rowsAffected: [] };
    }
    refuseImplicitBinary(sqlite, command, this.#inputs);
    const { text, order } = toSqlite(command);
    const values = order.map((n) => sqliteValue(this.#inputs.find((i) => i.name === n)?.value));
    try {
      const statement = sqlite.prepare(text);
      if (statement.reader) {
        const rows = statement.all(...values) as Record<string, unknown>[];
        return { recordset: rows, rowsAffected: [rows.length] };
      }
      const { changes } = statement.run(...values);
      return { recordset: [], rowsAffected: /^\s*(insert|update|delete)\b/i.test(command) ? [changes] : [] };
    } catch (error) {
      const failure = asRequestError(error, command);
      if (state?.xactAbort) abort?.(failure);
      throw failure;
    }
  }
}

function openSqlite(file: string): SQLite.Database {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 2000');
  return sqlite;
}

/** Rewrites the T-SQL shapes the contract suite uses into SQLite; `order` maps `?` to `@n`. */
function toSqlite(tsql: string): { text: string; order: string[] } {
  let text = tsql
    .replace(/\binteger identity primary key\b/gi, 'integer primary key autoincrement')
    .replace(/\((max)\)/gi, '')
    .replace(/\boffset @(\d+) rows fetch next @(\d+) rows only\b/gi, 'limit @$2 offset @$1');
  const output = /\s+output\s+((?:"(?:inserted|deleted)"\."\w+"(?:\s+as\s+"\w+")?(?:,\s*)?)+)/i.exec(text);
  if (output) {
    text = text.replace(output[0], '') + ` returning ${output[1]?.replace(/"(?:inserted|deleted)"\./gi, '')}`;
  }
  const order: string[] = [];
  text = text.replace(/@(\w+)/g, (_, name: string) => {
    order.push(name);
    return '?';
  });
  return { text, order };
}

function sqliteValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value ?? null;
}

const VARIANT_PROPERTY = /sql_variant_property\(@(\w+), '(BaseType|Scale)'\) as "(\w+)"/gi;

function answerProbe(
  command: string,
  inputs: DeclaredInput[],
  state: TransactionState | undefined,
): Record<string, unknown> | undefined {
  if (
    /^select transaction_isolation_level as "(\w+)" from sys\.dm_exec_sessions where session_id = @@spid$/i.test(
      command,
    )
  ) {
    const column = /as "(\w+)"/.exec(command)?.[1] ?? 'level';
    return { [column]: state?.level ?? sql.ISOLATION_LEVEL.READ_COMMITTED };
  }
  if (!/^select sql_variant_property\(/i.test(command)) return undefined;
  const row: Record<string, unknown> = {};
  for (const [, name, property, column] of command.matchAll(VARIANT_PROPERTY)) {
    const input = inputs.find((i) => i.name === name);
    if (!input || !column) throw new Error(`no parameter @${name}`);
    row[column] = property === 'BaseType' ? input.declaration : (input.scale ?? 0);
  }
  return row;
}

/** SQL Server converts no other type to varbinary implicitly: the columns an insert or update sets. */
function refuseImplicitBinary(sqlite: SQLite.Database, command: string, inputs: DeclaredInput[]): void {
  const pairs: [string, string][] = [];
  const insert = /^insert into "(\w+)" \(([^)]*)\)(?:\s+output\s+.*?)?\s+values\s+(.*)$/is.exec(command);
  const update = /^update "(\w+)" set (.*?)(?:\s+output\s+.*?)?(?:\s+where\s+.*)?$/is.exec(command);
  let table: string | undefined;
  if (insert) {
    table = insert[1];
    const columns = [...(insert[2] ?? '').matchAll(/"(\w+)"/g)].map((m) => m[1] ?? '');
    for (const tuple of (insert[3] ?? '').matchAll(/\(([^)]*)\)/g)) {
      (tuple[1] ?? '').split(',').forEach((value, i) => pairs.push([columns[i] ?? '', value.trim()]));
    }
  } else if (update) {
    table = update[1];
    for (const m of (update[2] ?? '').matchAll(/"(\w+)" = (@\w+)/g)) pairs.push([m[1] ?? '', m[2] ?? '']);
  }
  if (!table) return;
  const types = new Map(
    (sqlite.pragma(`table_info("${table}")`) as { name: string; type: string }[]).map((c) => [
      c.name,
      c.type,
    ]),
  );
  for (const [column, value] of pairs) {
    const input = inputs.find((i) => `@${i.name}` === value);
    if (!input || !/varbinary/i.test(types.get(column) ?? '') || input.declaration === 'varbinary') continue;
    throw new sql.RequestError(
      Object.assign(
        new Error(
          `Implicit conversion from data type ${input.declaration} to varbinary(max) is not allowed. Use the CONVERT function to run this query.`,
        ),
        { info: { number: 257, class: 16 } },
      ),
      'EREQUEST',
    );
  }
}

/** What tedious's validation of each type accepts. */
function validate(input: DeclaredInput): void {
  const { value, declaration } = input;
  if (value === null || value === undefined) return;
  const ok =
    declaration === 'nvarchar'
      ? typeof value === 'string'
      : declaration === 'int'
        ? Number.isInteger(value) && (value as number) >= -(2 ** 31) && (value as number) < 2 ** 31
        : declaration === 'bigint'
          ? typeof value === 'bigint' || Number.isInteger(value)
          : declaration === 'bit'
            ? typeof value === 'boolean'
            : declaration === 'datetime2'
              ? value instanceof Date
              : declaration === 'varbinary'
                ? Buffer.isBuffer(value)
                : declaration === 'float'
                  ? typeof value === 'number'
                  : false;
  if (!ok)
    throw Object.assign(
      new sql.RequestError(
        `Validation failed for parameter '${input.name}'. Invalid ${declaration}: ${String(value)}`,
      ),
      { code: 'EPARAM' },
    );
}

/** SQLite's constraint errors as SQL Server reports them. */
function asRequestError(error: unknown, command: string): Error {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const number =
    code === 'SQLITE_CONSTRAINT_UNIQUE'
      ? 2601
      : code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
        ? 2627
        : code === 'SQLITE_CONSTRAINT_NOTNULL'
          ? 515
          : /no such table/.test(message)
            ? 208
            : undefined;
  if (number === undefined) return new Error(`the mssql double cannot run ${command}: ${message}`);
  return new sql.RequestError(Object.assign(new Error(message), { info: { number, class: 14 } }), 'EREQUEST');
}
