/**
 * Every SQL statement the Snowflake connector sends, generated here and only
 * here. Values are never written into SQL: they travel as bind parameters.
 * Identifiers (database, schema, table and column names, some from config)
 * must be plain Snowflake identifiers and are quoted, so config cannot inject SQL.
 */
import { loadedColumns, type ColumnSpec, type ColumnType, type TableSpec } from '@sneakpipe/core';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,254}$/;

/** Validates and quotes an identifier (upper-cased, as Snowflake stores unquoted names). */
export function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new Error(`invalid Snowflake identifier ${JSON.stringify(name)}: expected letters, digits, _ or $, starting with a letter or _`);
  }
  return `"${name.toUpperCase()}"`;
}

/** `"DB"."SCHEMA"."TABLE"` */
export function qualifiedName(database: string, schema: string, table: string): string {
  return [database, schema, table].map(quoteIdentifier).join('.');
}

const TYPES: Record<ColumnType, string> = {
  text: 'VARCHAR',
  integer: 'NUMBER(10,0)',
  bigint: 'NUMBER(19,0)',
  money: 'NUMBER(10,2)',
  timestamp: 'TIMESTAMP_NTZ',
  binary: 'BINARY',
};

/**
 * How each logical type travels in a bind and sits in the staging table:
 * timestamps as `YYYY-MM-DD HH:MM:SS.fff` text (UTC) and bytes as hex text,
 * converted in the MERGE, because array binds carry text and numbers only.
 */
const STAGING_TYPES: Record<ColumnType, string> = {
  text: 'VARCHAR',
  integer: 'NUMBER(10,0)',
  bigint: 'NUMBER(19,0)',
  money: 'NUMBER(10,2)',
  timestamp: 'VARCHAR',
  binary: 'VARCHAR',
};

function fromStaging(column: ColumnSpec): string {
  const c = `s.${quoteIdentifier(column.name)}`;
  if (column.type === 'timestamp') return `TO_TIMESTAMP_NTZ(${c})`;
  if (column.type === 'binary') return `TO_BINARY(${c}, 'HEX')`;
  return c;
}

export function createDatabaseSql(database: string): string {
  return `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(database)}`;
}

export function createSchemaSql(database: string, schema: string): string {
  return `CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(database)}.${quoteIdentifier(schema)}`;
}

/** `CREATE TABLE IF NOT EXISTS` for a table of the data contract. */
export function createTableSql(database: string, schema: string, table: TableSpec): string {
  const columns = table.columns.map((c) => {
    const parts = [quoteIdentifier(c.name), TYPES[c.type]];
    if (c.default === 'now') parts.push('DEFAULT SYSDATE()');
    else if (!c.nullable) parts.push('NOT NULL');
    return parts.join(' ');
  });
  columns.push(`PRIMARY KEY (${quoteIdentifier(table.primaryKey)})`);
  return `CREATE TABLE IF NOT EXISTS ${qualifiedName(database, schema, table.name)} (\n  ${columns.join(',\n  ')}\n)`;
}

/** The session's staging table for a target table (temporary: private to the session, gone with it). */
export function stagingTableName(table: TableSpec): string {
  return quoteIdentifier(`${table.name}_STAGE`);
}

export function createStagingTableSql(table: TableSpec): string {
  const columns = loadedColumns(table).map((c) => `${quoteIdentifier(c.name)} ${STAGING_TYPES[c.type]}`);
  return `CREATE TEMPORARY TABLE IF NOT EXISTS ${stagingTableName(table)} (${columns.join(', ')})`;
}

export function truncateStagingSql(table: TableSpec): string {
  return `TRUNCATE TABLE ${stagingTableName(table)}`;
}

/** One multi-row insert: the driver sends every row as array binds in one request. */
export function insertStagingSql(table: TableSpec): string {
  const columns = loadedColumns(table);
  return `INSERT INTO ${stagingTableName(table)} (${columns.map((c) => quoteIdentifier(c.name)).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
}

/**
 * Moves staged rows into the target, idempotently: rows whose key is already
 * there are skipped, and duplicates within the batch collapse to the first.
 * The conversions happen in the USING subquery so the INSERT takes plain columns.
 */
export function mergeSql(database: string, schema: string, table: TableSpec): string {
  const columns = loadedColumns(table);
  const key = quoteIdentifier(table.primaryKey);
  const names = columns.map((c) => quoteIdentifier(c.name));
  return [
    `MERGE INTO ${qualifiedName(database, schema, table.name)} t`,
    `USING (SELECT ${columns.map((c) => `${fromStaging(c)} AS ${quoteIdentifier(c.name)}`).join(', ')}`,
    `       FROM ${stagingTableName(table)} s`,
    `       QUALIFY ROW_NUMBER() OVER (PARTITION BY s.${key} ORDER BY s.${key}) = 1) s`,
    `ON t.${key} = s.${key}`,
    `WHEN NOT MATCHED THEN INSERT (${names.join(', ')}) VALUES (${names.map((n) => `s.${n}`).join(', ')})`,
  ].join('\n');
}

/** Formats epoch milliseconds as a Snowflake TIMESTAMP_NTZ literal value (UTC). */
export function timestampText(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}
