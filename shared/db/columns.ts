import {
  sql,
  type ColumnDefinitionBuilder,
  type CreateTableBuilder,
  type Expression,
  type Kysely,
} from 'kysely';
import { dialectOf, type SqlDialect } from './dialect.js';

/**
 * Column types that mean the same in both dialects. T-SQL gets the exact types the T-SQL check
 * allows (nvarchar with a length, datetime2, bit); SQLite gets the matching affinities.
 */
export interface ColumnTypes {
  /** A unicode string of at most n characters. */
  text(n: number): Expression<unknown>;
  /** Long text such as HTML descriptions or JSON payloads. */
  longText: Expression<unknown>;
  /** A UTC instant (column names end in `_at`). */
  instant: Expression<unknown>;
  /** A boolean (column names start with `is_`). */
  bool: Expression<unknown>;
}

export function columnTypes(dialect: SqlDialect): ColumnTypes {
  return dialect === 'mssql'
    ? {
        text: (n) => sql.raw(`nvarchar(${n})`),
        longText: sql`nvarchar(max)`,
        instant: sql`datetime2(3)`,
        bool: sql`bit`,
      }
    : {
        text: (n) => sql.raw(`nvarchar(${n})`),
        longText: sql`text`,
        instant: sql`text`,
        bool: sql`integer`,
      };
}

/** An integer identity primary key named `id`. */
export function withIdColumn<T extends string, C extends string>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  table: CreateTableBuilder<T, C>,
): CreateTableBuilder<T, C | 'id'> {
  return dialectOf(db) === 'mssql'
    ? table.addColumn('id', 'integer', (c: ColumnDefinitionBuilder) => c.identity().primaryKey())
    : table.addColumn('id', 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement());
}

/** A CHECK expression: the column holds one of these values (status columns as text). */
export const oneOf = (column: string, values: readonly string[]) =>
  sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;

/**
 * Widens integer columns to `bigint` (money in minor units and points that can pass 2^31). SQLite's
 * INTEGER already holds 64 bits, so only SQL Server changes. There a column's type cannot change
 * while a CHECK or a DEFAULT constraint uses it: the CHECKs named are dropped and added back after,
 * and a column's default (named by SQL Server when the table was made) is looked up, dropped and
 * added back under a name of ours. The columns stay NOT NULL.
 */
export async function widenToBigint(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  dialect: SqlDialect,
  table: string,
  columns: { name: string; default?: number }[],
  checks: { name: string; expression: Expression<unknown> }[] = [],
): Promise<void> {
  if (dialect !== 'mssql') return;
  for (const check of checks) await db.schema.alterTable(table).dropConstraint(check.name).execute();
  for (const column of columns) {
    if (column.default !== undefined) {
      await sql`declare @default sysname = (select d.name from sys.default_constraints d
          join sys.columns c on c.object_id = d.parent_object_id and c.column_id = d.parent_column_id
          where d.parent_object_id = object_id(${table}) and c.name = ${column.name});
        declare @drop nvarchar(400) = N'alter table ' + quotename(${table}) + N' drop constraint ' + quotename(@default);
        if @default is not null exec sp_executesql @drop;`.execute(db);
    }
    await db.schema
      .alterTable(table)
      .alterColumn(column.name, (c) => c.setDataType(sql`bigint not null`))
      .execute();
    if (column.default !== undefined)
      await sql`alter table ${sql.table(table)} add constraint ${sql.id(`df_${table}_${column.name}`)} default ${sql.lit(column.default)} for ${sql.ref(column.name)}`.execute(
        db,
      );
  }
  for (const check of checks)
    await db.schema.alterTable(table).addCheckConstraint(check.name, check.expression).execute();
}
