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
