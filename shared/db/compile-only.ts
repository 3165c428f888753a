import { DummyDriver, Kysely, MssqlAdapter, MssqlIntrospector, MssqlQueryCompiler } from 'kysely';

/**
 * An Azure SQL handle that compiles T-SQL and records it, with no server: Kysely's MssqlAdapter and
 * MssqlQueryCompiler over its DummyDriver (every query returns no rows). The T-SQL check and the
 * domains' T-SQL tests run migrations and repository functions against it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function compileOnlyMssql<DB = any>(onSql: (sql: string) => void = () => {}): Kysely<DB> {
  return new Kysely<DB>({
    dialect: {
      createAdapter: () => new MssqlAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => new MssqlIntrospector(k),
      createQueryCompiler: () => new MssqlQueryCompiler(),
    },
    log: (event) => onSql(event.query.sql),
  });
}

/** A compile-only handle plus the statements it has recorded. */
export function mssqlRecorder<DB = unknown>(): { db: Kysely<DB>; statements: string[] } {
  const statements: string[] = [];
  return { db: compileOnlyMssql<DB>((sql) => statements.push(sql)), statements };
}
