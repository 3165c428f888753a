import { Migrator, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import type { Database } from './database.js';
import { dialectOf, type SqlDialect } from './dialect.js';

/**
 * A migration receives the dialect because Kysely does not translate dialect-specific DDL
 * (identity columns, datetime2, filtered indexes): the migration branches where it must.
 */
export interface DomainMigration {
  /** Sortable: `2026_11_25_0900_create_users`. */
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up(db: Kysely<any>, dialect: SqlDialect): Promise<void>;
}

export async function migrateToLatest(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  migrations: DomainMigration[],
): Promise<MigrationResultSet> {
  const dialect = dialectOf(db);
  const byName: Record<string, Migration> = {};
  for (const m of migrations) {
    if (byName[m.name]) throw new Error(`duplicate migration name ${m.name}`);
    byName[m.name] = { up: (trx) => m.up(trx, dialect) };
  }
  const migrator = new Migrator({ db, provider: { getMigrations: async () => byName } });
  return migrator.migrateToLatest();
}

/** Migrates one domain database, failing loudly with the migration that broke. */
export async function migrateDomain(
  database: Database<unknown>,
  migrations: DomainMigration[],
): Promise<string[]> {
  // Every start checks every domain: when everything is applied already (the usual case), one
  // statement says so, instead of the migrator's lock, table checks and reads.
  if (await upToDate(database, migrations)) return [];
  // Kysely's migrator holds a session lock across its statements (see Database.withSession).
  const { error, results } = await database.withSession((db) => migrateToLatest(db, migrations));
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const where = failed ? ` (migration ${failed.migrationName})` : '';
    throw new Error(`migrating ${database.domain} failed${where}: ${String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when Kysely's migration table lists exactly these migrations; false when it is missing. */
async function upToDate(database: Database<unknown>, migrations: DomainMigration[]): Promise<boolean> {
  let applied: string[];
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(database.db);
    applied = rows.map((r) => r.name);
  } catch {
    return false; // a new database: no migration table yet
  }
  return applied.length === migrations.length && migrations.every((m) => applied.includes(m.name));
}
