import { MssqlAdapter, sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';

/**
 * The few places SQLite and Azure SQL differ, in one file. Repositories call these helpers and
 * never branch on the dialect themselves.
 */
export type SqlDialect = 'sqlite' | 'mssql';

// Repositories pass their own typed Kysely or transaction; the helpers only need its executor.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export function dialectOf(db: AnyDb): SqlDialect {
  return db.getExecutor().adapter instanceof MssqlAdapter ? 'mssql' : 'sqlite';
}

/**
 * A LIKE pattern given as a parameter. SQLite plans `like ?` with the bound pattern and so compiles
 * the statement again at every run (see sqlite-compiler.ts); `(? || '')` is the same text to it but
 * not a bare parameter. T-SQL gets the parameter itself.
 */
export function likePattern(db: AnyDb, pattern: unknown): RawBuilder<string> {
  return dialectOf(db) === 'sqlite' ? sql<string>`(${pattern} || '')` : sql<string>`${pattern}`;
}

/** Inserts one row and returns its identity id: `returning` in SQLite, `output inserted.id` in T-SQL. */
export async function insertReturningId(
  db: AnyDb,
  table: string,
  values: Record<string, unknown>,
): Promise<number> {
  const insert = db.insertInto(table).values(values);
  const row =
    dialectOf(db) === 'mssql'
      ? await insert.output('inserted.id as id').executeTakeFirstOrThrow()
      : await insert.returning('id').executeTakeFirstOrThrow();
  return readId((row as { id: unknown }).id);
}

/**
 * One page of an ordered query: `limit/offset` in SQLite, `offset ... fetch next` in T-SQL (which
 * requires an `order by`, so callers always order, with a unique tie-breaker).
 */
export function paged<DB, TB extends keyof DB, O>(
  db: AnyDb,
  query: SelectQueryBuilder<DB, TB, O>,
  page: { offset: number; limit: number },
): SelectQueryBuilder<DB, TB, O> {
  return dialectOf(db) === 'mssql'
    ? query.offset(page.offset).fetch(page.limit)
    : query.limit(page.limit).offset(page.offset);
}

/** True when the error is a unique index (or primary key) violation in either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as {
    code?: unknown;
    number?: unknown;
    originalError?: { number?: unknown; info?: { number?: unknown } };
  };
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
  // mssql's RequestError carries the server's error number (2627 unique constraint, 2601 unique
  // index), and so does the error it wraps, in `number` or `info.number`.
  const number = e.number ?? e.originalError?.number ?? e.originalError?.info?.number;
  return number === 2627 || number === 2601;
}

/** Identity values: mssql (tedious) returns `bigint` columns as strings. */
export function readId(value: unknown): number {
  const id = typeof value === 'string' ? Number(value) : value;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw new Error(`not an id: ${String(value)}`);
  return id;
}
