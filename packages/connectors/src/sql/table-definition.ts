import { primaryKeyColumns, type ColumnSpec, type ColumnType, type TableSpec } from '@sneakpipe/core';

/**
 * What a warehouse's SQL needs to define a table: how it quotes a name, its
 * type for each logical column type, and its expression for a load time (a
 * `default: 'now'` column). The statements themselves are the same in every
 * warehouse, so they are written once, here.
 */
export interface TableDialect {
  /** Quotes a table or column name (and refuses one the warehouse cannot take). */
  quote(name: string): string;
  /** The warehouse's type of each logical column type. */
  types: Readonly<Record<ColumnType, string>>;
  /**
   * The default of a load-time column, e.g. `SYSDATE()`; none when the
   * warehouse declares no default (loads set the column themselves).
   */
  loadTime?: string;
}

/** A column's definition: name, type, then the load-time default (if the dialect declares one) or NOT NULL. */
export function columnDefinitionSql(dialect: TableDialect, column: ColumnSpec): string {
  const parts = [dialect.quote(column.name), dialect.types[column.type]];
  if (column.default === 'now') {
    if (dialect.loadTime !== undefined) parts.push(`DEFAULT ${dialect.loadTime}`);
  } else if (!column.nullable) parts.push('NOT NULL');
  return parts.join(' ');
}

/** `CREATE TABLE IF NOT EXISTS` for a table spec, under a name already qualified and quoted: a primary key only for keyed tables. */
export function createTableStatement(dialect: TableDialect, qualifiedName: string, table: TableSpec): string {
  const lines = table.columns.map((column) => columnDefinitionSql(dialect, column));
  const key = primaryKeyColumns(table);
  if (key.length > 0) lines.push(`PRIMARY KEY (${key.map((name) => dialect.quote(name)).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${qualifiedName} (\n  ${lines.join(',\n  ')}\n)`;
}
