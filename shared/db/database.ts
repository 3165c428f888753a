import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  MssqlAdapter,
  MssqlIntrospector,
  MssqlQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type LogEvent,
  type TransactionSettings,
} from 'kysely';
import type { Config } from '../config/config.js';
import { RowConventionsPlugin } from './conventions.js';
import type { SqlDialect } from './dialect.js';
import { ReusableSqliteDialect } from './sqlite-compiler.js';
import { withSqliteParameters } from './sqlite-parameters.js';

export type QueryListener = (event: { sql: string; parameters: readonly unknown[]; ms: number }) => void;

/** One domain's database: its Kysely handle, which dialect it speaks, and a query log for tests. */
export interface Database<DB> {
  readonly domain: string;
  readonly dialect: SqlDialect;
  readonly db: Kysely<DB>;
  /** Listens to every statement run (tests assert the shape of the SQL). Returns an unsubscribe. */
  onQuery(listener: QueryListener): () => void;
  /**
   * Runs `work` on one database session. SQLite has a single connection anyway; on SQL Server the
   * pool lends a connection per statement, so work whose statements share session state (Kysely's
   * migrator takes a session-owned sp_getapplock, then migrates, then releases it) gets a pool of
   * one connection, opened for it and closed after.
   */
  withSession<T>(work: (db: Kysely<DB>) => Promise<T>): Promise<T>;
  /**
   * Runs one read-only statement (compiled by `db`) outside any transaction and sees only committed
   * data: on SQLite a second, read-only connection answers it synchronously, without queueing
   * behind the main connection's statements and transactions (WAL readers see the last commit); on
   * SQL Server it is an ordinary pooled statement. For hot, tiny reads such as the catalog's
   * revision check; row conventions (booleans, dates) are not applied to its rows.
   */
  readCommitted<R>(query: CompiledQuery<R>): Promise<R[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function openDatabase<DB>(domain: string, config: Config): Database<DB> {
  const dialect: SqlDialect = config.usesSqlServer ? 'mssql' : 'sqlite';
  const listeners = new Set<QueryListener>();
  const log = (event: LogEvent) => {
    for (const listener of listeners) {
      listener({
        sql: event.query.sql,
        parameters: event.query.parameters,
        ms: event.queryDurationMillis,
      });
    }
  };
  const kysely = (base: Dialect) =>
    new Kysely<DB>({
      dialect: base,
      plugins: [new RowConventionsPlugin()],
      log: (event) => {
        if (listeners.size > 0) log(event);
      },
    });
  let reader: SQLite.Database | undefined;
  const db = kysely(
    dialect === 'mssql'
      ? lazyMssqlDialect(domain, config)
      : withSqliteParameters(sqliteDialect(domain, config.dataDir)),
  );
  return {
    domain,
    dialect,
    db,
    onQuery(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async withSession(work) {
      if (dialect === 'sqlite') return work(db);
      const session = kysely(lazyMssqlDialect(domain, config, { max: 1 }));
      try {
        return await work(session);
      } finally {
        await session.destroy();
      }
    },
    readCommitted<R>(query: CompiledQuery<R>): Promise<R[]> {
      if (dialect !== 'sqlite') return db.executeQuery(query).then((result) => result.rows);
      try {
        reader ??= openReader(sqliteFile(config.dataDir, domain));
        const started = listeners.size > 0 ? performance.now() : 0;
        const statement = reader.prepare(query.sql);
        const rows = statement.all(...query.parameters.map(sqliteParameter)) as R[];
        if (listeners.size > 0) {
          const event = { sql: query.sql, parameters: query.parameters, ms: performance.now() - started };
          for (const listener of listeners) listener(event);
        }
        return Promise.resolve(rows);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    async ping() {
      await db.selectNoFrom((eb) => eb.lit(1).as('ok')).execute();
    },
    async close() {
      reader?.close();
      reader = undefined;
      await db.destroy();
    },
  };
}

/**
 * A read-only connection with its prepared statements kept by SQL text: the revision check and the
 * catalog's public reads, a few hundred shapes at most (five sorts times the filters set).
 */
function openReader(file: string): SQLite.Database {
  const sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  return withStatementCache(sqlite);
}

/** As withSqliteParameters does for Kysely's statements: a Date is ISO text, a boolean 1 or 0. */
function sqliteParameter(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

export function sqliteFile(dataDir: string, domain: string): string {
  return path.join(dataDir, 'db', `${domain}.sqlite`);
}

function sqliteDialect(domain: string, dataDir: string): Dialect {
  const file = sqliteFile(dataDir, domain);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return new ReusableSqliteDialect({
    database: async () => {
      const sqlite = new SQLite(file);
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('busy_timeout = 5000');
      return withStatementCache(sqlite);
    },
  });
}

/**
 * Kysely's SQLite driver prepares every statement anew, which costs about a tenth of a list
 * request. Queries are built from a fixed set of shapes, so prepared statements are kept per SQL
 * text (bounded). Reuse is safe: the driver runs one statement at a time on its connection.
 */
function withStatementCache(sqlite: SQLite.Database, limit = 500): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  const cachedPrepare = (source: string) => {
    let statement = cache.get(source);
    if (statement) {
      cache.delete(source);
    } else {
      statement = prepare(source);
      if (cache.size >= limit) cache.delete(cache.keys().next().value ?? '');
    }
    cache.set(source, statement);
    return statement;
  };
  return Object.assign(sqlite, { prepare: cachedPrepare }) as SQLite.Database;
}

/**
 * Azure SQL's dialect, with the `mssql` client (and, through the Entra ID sign-in, @azure/identity)
 * imported only when the first connection is made: a local start on SQLite never loads them, and
 * they were about a third of its start-up time. Kysely's own adapter and compiler need neither.
 */
function lazyMssqlDialect(domain: string, config: Config, size?: { max: number }): Dialect {
  const driver = async (): Promise<Driver> => {
    const [{ mssqlDialect }, { sqlServerDatabaseName, sqlServerPool }] = await Promise.all([
      import('./mssql-driver.js'),
      import('./sqlserver.js'),
    ]);
    const database = sqlServerDatabaseName(domain, config);
    return mssqlDialect(() => sqlServerPool(database, config, size)).createDriver();
  };
  return {
    createAdapter: () => new MssqlAdapter(),
    createDriver: () => new LazyDriver(driver),
    createIntrospector: (db) => new MssqlIntrospector(db),
    createQueryCompiler: () => new MssqlQueryCompiler(),
  };
}

/** A driver made on init (Kysely calls init before anything else); everything else goes to it. */
class LazyDriver implements Driver {
  #driver: Driver | undefined;

  constructor(private readonly make: () => Promise<Driver>) {}

  get #made(): Driver {
    if (!this.#driver) throw new Error('the database driver is used before init');
    return this.#driver;
  }

  async init(): Promise<void> {
    this.#driver = await this.make();
    await this.#driver.init();
  }
  acquireConnection(): Promise<DatabaseConnection> {
    return this.#made.acquireConnection();
  }
  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#made.beginTransaction(connection, settings);
  }
  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#made.commitTransaction(connection);
  }
  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#made.rollbackTransaction(connection);
  }
  // Savepoints as the driver has them (no releaseSavepoint: T-SQL has none, Kysely says so).
  savepoint(
    connection: DatabaseConnection,
    name: string,
    compile: Parameters<NonNullable<Driver['savepoint']>>[2],
  ): Promise<void> {
    const made = this.#made;
    if (!made.savepoint) throw new Error('the driver has no savepoints');
    return made.savepoint(connection, name, compile);
  }
  rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: Parameters<NonNullable<Driver['rollbackToSavepoint']>>[2],
  ): Promise<void> {
    const made = this.#made;
    if (!made.rollbackToSavepoint) throw new Error('the driver has no savepoints');
    return made.rollbackToSavepoint(connection, name, compile);
  }
  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#made.releaseConnection(connection);
  }
  async destroy(): Promise<void> {
    // Destroyed before any use: nothing was opened, and nothing needs loading to close it.
    if (this.#driver) await this.#driver.destroy();
  }
}
