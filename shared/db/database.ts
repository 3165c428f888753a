import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type Dialect, type LogEvent } from 'kysely';
import type { Config } from '../config/config.js';
import { RowConventionsPlugin } from './conventions.js';
import type { SqlDialect } from './dialect.js';
import { mssqlDialect } from './mssql-driver.js';
import { withSqliteParameters } from './sqlite-parameters.js';
import { sqlServerDatabaseName, sqlServerPool } from './sqlserver.js';

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
  const sqlServerDatabase = sqlServerDatabaseName(domain, config);
  const db = kysely(
    dialect === 'mssql'
      ? mssqlDialect(() => sqlServerPool(sqlServerDatabase, config))
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
      const session = kysely(mssqlDialect(() => sqlServerPool(sqlServerDatabase, config, { max: 1 })));
      try {
        return await work(session);
      } finally {
        await session.destroy();
      }
    },
    async ping() {
      await db.selectNoFrom((eb) => eb.lit(1).as('ok')).execute();
    },
    close: () => db.destroy(),
  };
}

export function sqliteFile(dataDir: string, domain: string): string {
  return path.join(dataDir, 'db', `${domain}.sqlite`);
}

function sqliteDialect(domain: string, dataDir: string): Dialect {
  const file = sqliteFile(dataDir, domain);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return new SqliteDialect({
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
