import fs from 'node:fs';
import path from 'node:path';
import { DefaultAzureCredential } from '@azure/identity';
import SQLite from 'better-sqlite3';
import { Kysely, MssqlDialect, SqliteDialect, type Dialect, type LogEvent } from 'kysely';
import * as Tarn from 'tarn';
import * as Tedious from 'tedious';
import type { Config } from '../config/config.js';
import { RowConventionsPlugin } from './conventions.js';
import type { SqlDialect } from './dialect.js';
import { withPortableParameters } from './driver.js';

export type QueryListener = (event: { sql: string; parameters: readonly unknown[]; ms: number }) => void;

/** One domain's database: its Kysely handle, which dialect it speaks, and a query log for tests. */
export interface Database<DB> {
  readonly domain: string;
  readonly dialect: SqlDialect;
  readonly db: Kysely<DB>;
  /** Listens to every statement run (tests assert the shape of the SQL). Returns an unsubscribe. */
  onQuery(listener: QueryListener): () => void;
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
  const base =
    dialect === 'mssql'
      ? mssqlDialect(sqlServerDatabaseName(domain, config), config)
      : sqliteDialect(domain, config.dataDir);
  const db = new Kysely<DB>({
    dialect: withPortableParameters(base, dialect),
    plugins: [new RowConventionsPlugin()],
    log: (event) => {
      if (listeners.size > 0) log(event);
    },
  });
  return {
    domain,
    dialect,
    db,
    onQuery(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
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

/** The Azure SQL / SQL Server database of a domain: SQL_DATABASE_PREFIX + domain. */
export function sqlServerDatabaseName(domain: string, config: Config): string {
  return `${config.SQL_DATABASE_PREFIX}${domain}`;
}

export function mssqlDialect(database: string, config: Config): Dialect {
  const server = config.SQL_SERVER ?? '';
  const authentication: Tedious.ConnectionAuthentication =
    config.SQL_USER !== undefined
      ? { type: 'default', options: { userName: config.SQL_USER, password: config.SQL_PASSWORD ?? '' } }
      : {
          type: 'token-credential',
          options: {
            credential: new DefaultAzureCredential(
              config.AZURE_CLIENT_ID ? { managedIdentityClientId: config.AZURE_CLIENT_ID } : {},
            ),
          },
        };
  return new MssqlDialect({
    tarn: { ...Tarn, options: { min: 0, max: 10 } },
    tedious: {
      ...Tedious,
      connectionFactory: () =>
        new Tedious.Connection({
          server,
          authentication,
          options: {
            port: config.SQL_PORT,
            database,
            encrypt: true,
            trustServerCertificate: config.SQL_TRUST_SERVER_CERTIFICATE,
            useUTC: true,
            connectTimeout: 30_000,
          },
        }),
    },
  });
}
