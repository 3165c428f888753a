import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

/**
 * Column naming conventions that let both dialects return the same row types:
 * - `*_at` columns are UTC instants (datetime2 in T-SQL, ISO text in SQLite) and come back as Date;
 * - `is_*` columns are booleans (bit in T-SQL, 0/1 in SQLite) and come back as boolean.
 * Parameters go the other way: sqlite-parameters.ts turns Date and boolean into text and 1/0 for
 * SQLite, mssql-driver.ts sends them as datetime2 and bit.
 */
export class RowConventionsPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (args.result.rows.length === 0) return args.result;
    return { ...args.result, rows: args.result.rows.map(convertRow) };
  }
}

function convertRow(row: UnknownRow): UnknownRow {
  const out: UnknownRow = {};
  for (const [key, value] of Object.entries(row)) {
    if (key.endsWith('_at') && value !== null && value !== undefined) out[key] = readInstant(value);
    else if (key.startsWith('is_') && value !== null && value !== undefined)
      out[key] = value === true || value === 1;
    else out[key] = value;
  }
  return out;
}

/** Accepts a Date (mssql) or stored text (SQLite) and returns the UTC instant. */
export function readInstant(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string') {
    const text = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`;
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new Error(`not an instant: ${String(value)}`);
}
