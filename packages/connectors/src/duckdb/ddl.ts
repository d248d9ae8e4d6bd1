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

/**
 * The load time of a `default: 'now'` column: the transaction's start, as a
 * TIMESTAMP in UTC. DuckDB's `current_localtimestamp()` (and a TIMESTAMPTZ
 * such as `now()` cast to TIMESTAMP) is the wall clock of DuckDB's TimeZone
 * setting, which follows the process's TZ: under TZ=America/New_York a load
 * at 00:04 UTC read 19:04 the day before.
 */
export const UTC_NOW_SQL = "(now() AT TIME ZONE 'UTC')";

/** Quotes an identifier for DuckDB (doubling embedded quotes). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A column's definition: name, type, NOT NULL or the load-time default. */
export function columnSql(column: TableSpec['columns'][number]): string {
  const parts = [quoteIdentifier(column.name), DUCKDB_TYPES[column.type]];
  if (column.default === 'now') parts.push(`DEFAULT ${UTC_NOW_SQL}`);
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
