import type { ColumnType, TableSpec } from '@sneakpipe/core';

const DUCKDB_TYPES: Record<ColumnType, string> = {
  text: 'VARCHAR',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  money: 'DECIMAL(10,2)',
  timestamp: 'TIMESTAMP',
  binary: 'BLOB',
};

/** Quotes an identifier for DuckDB (doubling embedded quotes). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `CREATE TABLE IF NOT EXISTS` for a table of the data contract. */
export function createTableSql(qualifiedName: string, table: TableSpec): string {
  const columns = table.columns.map((c) => {
    const parts = [quoteIdentifier(c.name), DUCKDB_TYPES[c.type]];
    if (c.name === table.primaryKey) parts.push('PRIMARY KEY');
    else if (!c.nullable && !c.default) parts.push('NOT NULL');
    if (c.default === 'now') parts.push('DEFAULT current_localtimestamp()');
    return parts.join(' ');
  });
  return `CREATE TABLE IF NOT EXISTS ${qualifiedName} (\n  ${columns.join(',\n  ')}\n)`;
}
