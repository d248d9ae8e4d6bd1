import type { ColumnSpec, ColumnType, TableSpec } from '@sneakpipe/core';
import { columnDefinitionSql, createTableStatement, type TableDialect } from '../sql/table-definition.js';

/** The DuckDB type of each logical column type. */
export const DUCKDB_TYPES: Record<ColumnType, string> = {
  text: 'VARCHAR',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  money: 'DECIMAL(10,2)',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
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

/**
 * Quotes any name for DuckDB, as it is: case kept, embedded quotes doubled.
 * (Snowflake's `quoteUpperCaseIdentifier` differs: it takes plain names only
 * and upper-cases them.)
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * DuckDB's names and types, for the statements that define tables. No
 * load-time default: every load sets those columns itself (`UTC_NOW_SQL`),
 * and DuckDB (1.5) cannot replay a log that altered a table with a function
 * default (`ALTER TABLE … ADD COLUMN`, as schema evolution runs it): after a
 * crash, the file would not open again (duckdb/duckdb#18259, #22124).
 */
const DUCKDB_DIALECT: TableDialect = { quote: quoteIdentifier, types: DUCKDB_TYPES };

/** A column's definition: name, type, NOT NULL or the load-time default. */
export function columnSql(column: ColumnSpec): string {
  return columnDefinitionSql(DUCKDB_DIALECT, column);
}

/** `CREATE TABLE IF NOT EXISTS` for a table spec: a primary key only for keyed (reference) tables. */
export function createTableSql(qualifiedName: string, table: TableSpec): string {
  return createTableStatement(DUCKDB_DIALECT, qualifiedName, table);
}
