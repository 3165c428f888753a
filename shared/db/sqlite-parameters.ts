import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryResult,
  TransactionSettings,
} from 'kysely';

/**
 * Wraps the SQLite dialect so Dates and booleans can be parameters, as they can in T-SQL (where
 * mssql-driver.ts types them datetime2 and bit): better-sqlite3 rejects both, so a Date becomes ISO
 * text (UTC, which the `*_at` columns hold) and a boolean 1/0.
 */
export function withSqliteParameters(dialect: Dialect): Dialect {
  const toParameter = (value: unknown): unknown => {
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'boolean') return value ? 1 : 0;
    return value;
  };
  const fix = (query: CompiledQuery): CompiledQuery => ({
    ...query,
    parameters: query.parameters.map(toParameter),
  });
  const wrapConnection = (connection: DatabaseConnection): DatabaseConnection => ({
    executeQuery: <R>(query: CompiledQuery): Promise<QueryResult<R>> =>
      connection.executeQuery<R>(fix(query)),
    streamQuery: <R>(query: CompiledQuery, chunkSize?: number) =>
      connection.streamQuery<R>(fix(query), chunkSize),
  });
  const wrapDriver = (driver: Driver): Driver => {
    const outerOf = new WeakMap<DatabaseConnection, DatabaseConnection>();
    const innerOf = new WeakMap<DatabaseConnection, DatabaseConnection>();
    const inner = (connection: DatabaseConnection) => innerOf.get(connection) ?? connection;
    return {
      init: () => driver.init(),
      acquireConnection: async () => {
        const connection = await driver.acquireConnection();
        let outer = outerOf.get(connection);
        if (!outer) {
          outer = wrapConnection(connection);
          outerOf.set(connection, outer);
          innerOf.set(outer, connection);
        }
        return outer;
      },
      beginTransaction: (c: DatabaseConnection, s: TransactionSettings) =>
        driver.beginTransaction(inner(c), s),
      commitTransaction: (c: DatabaseConnection) => driver.commitTransaction(inner(c)),
      rollbackTransaction: (c: DatabaseConnection) => driver.rollbackTransaction(inner(c)),
      releaseConnection: (c: DatabaseConnection) => driver.releaseConnection(inner(c)),
      destroy: () => driver.destroy(),
    };
  };
  return {
    createDriver: () => wrapDriver(dialect.createDriver()),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}
