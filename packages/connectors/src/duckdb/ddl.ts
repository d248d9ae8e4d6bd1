import { primaryKeyColumns, type ColumnType, type TableSpec } from '@sneakpipe/core';

/** The DuckDB type of each logical column type. */
export const DUCKDB_TYPES: Record<ColumnType, string> = {
  text: 'VARCHAR',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  money: 'DECIMAL(10,2)',
  timestamp: 'TIMESTAMP',
  binary: 'BLOB',
  json: 'JSON',
};

/** Quotes an identifier for DuckDB (doubling embedded quotes). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A column's definition: name, type, NOT NULL or the load-time default. */
export function columnSql(column: TableSpec['columns'][number]): string {
  const parts = [quoteIdentifier(column.name), DUCKDB_TYPES[column.type]];
  if (column.default === 'now') parts.push('DEFAULT current_localtimestamp()');
  else if (!column.nullable) parts.push('NOT NULL');
  return parts.join(' ');
}

/** `CREATE TABLE IF NOT EXISTS` for a table spec: a primary key only for keyed (reference) tables. */
export function createTableSql(qualifiedName: string, table: TableSpec): string {
  const lines = table.columns.map(columnSql);
  const key = primaryKeyColumns(table);
  if (key.length > 0) lines.push(`PRIMARY KEY (${key.map(quoteIdentifier).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${qualifiedName} (\n  ${lines.join(',\n  ')}\n)`;
}
