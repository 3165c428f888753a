import {
  SqliteDialect,
  SqliteQueryCompiler,
  type LimitNode,
  type OffsetNode,
  type QueryCompiler,
} from 'kysely';

/**
 * Kysely's SQLite compiler, writing statements SQLite can run again without compiling them anew.
 *
 * SQLite plans some statements with the values bound to them, and then marks the statement to be
 * compiled again whenever one of those parameters is bound, which better-sqlite3 does at every run:
 * a parameter compared with a column that a partial index's WHERE names (`is_deleted = ?`, since
 * the unique name indexes cover live rows only), a bare parameter as LIMIT or OFFSET, and a bare
 * parameter as a LIKE pattern (see likePattern in dialect.ts). Each such run paid for parsing and
 * planning again, the largest part of a small read. So:
 * - a boolean is written as the literal 1 or 0 (two values: no more distinct statements), and
 * - LIMIT and OFFSET take `cast(? as integer)`, an expression SQLite does not plan with.
 */
export class ReusableSqliteQueryCompiler extends SqliteQueryCompiler {
  protected override appendValue(parameter: unknown): void {
    if (typeof parameter === 'boolean') this.append(parameter ? '1' : '0');
    else super.appendValue(parameter);
  }

  protected override visitLimit(node: LimitNode): void {
    this.append('limit cast(');
    this.visitNode(node.limit);
    this.append(' as integer)');
  }

  protected override visitOffset(node: OffsetNode): void {
    this.append('offset cast(');
    this.visitNode(node.offset);
    this.append(' as integer)');
  }
}

/** Kysely's SQLite dialect with the compiler above. */
export class ReusableSqliteDialect extends SqliteDialect {
  override createQueryCompiler(): QueryCompiler {
    return new ReusableSqliteQueryCompiler();
  }
}
