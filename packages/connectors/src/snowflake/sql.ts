/**
 * Every SQL statement the Snowflake connector sends, generated here and only
 * here. Values are never written into SQL: they travel as bind parameters.
 * Identifiers (database, schema, table and column names, some from config)
 * must be plain Snowflake identifiers and are quoted, so config cannot inject SQL.
 */
import { LOAD_POSITIONS, loadedColumns, primaryKeyColumns, type ColumnSpec, type ColumnType, type TableSpec } from '@sneakpipe/core';
import { columnDefinitionSql, createTableStatement, type TableDialect } from '../sql/table-definition.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,254}$/;

/**
 * Quotes a plain identifier upper-cased, as Snowflake stores an unquoted name
 * (`stg` is `"STG"`), and refuses any other (DuckDB's `quoteIdentifier`
 * differs: it quotes any name, case kept).
 */
export function quoteUpperCaseIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new Error(`invalid Snowflake identifier ${JSON.stringify(name)}: expected letters, digits, _ or $, starting with a letter or _`);
  }
  return `"${name.toUpperCase()}"`;
}

/**
 * Quotes a column name: a plain one upper-cased, as `quoteUpperCaseIdentifier`
 * does (so tables defined with lower-case names keep working), any other as
 * it is, embedded quotes doubled (schema evolution's `"COUPON-CODE"`).
 */
export function quoteColumnName(name: string): string {
  return IDENTIFIER.test(name) ? `"${name.toUpperCase()}"` : `"${name.replaceAll('"', '""')}"`;
}

/** Whether {@link quoteColumnName} names the column stored under this exact name (not a plain lower-case name, which it upper-cases). */
export const quotesAsStored = (stored: string): boolean => quoteColumnName(stored) === `"${stored.replaceAll('"', '""')}"`;

/** `"DB"."SCHEMA"."TABLE"` */
export function qualifiedName(database: string, schema: string, table: string): string {
  return [database, schema, table].map(quoteUpperCaseIdentifier).join('.');
}

const TYPES: Record<ColumnType, string> = {
  text: 'VARCHAR',
  integer: 'NUMBER(10,0)',
  bigint: 'NUMBER(19,0)',
  money: 'NUMBER(10,2)',
  // Snowflake's FLOAT (FLOAT8, DOUBLE: one type) is a 64-bit IEEE float.
  double: 'FLOAT',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP_NTZ',
  binary: 'BINARY',
  json: 'VARIANT',
};

/** The logical type of each stored type but NUMBER, by its name in INFORMATION_SCHEMA.COLUMNS (see `columnTypeOf`). */
const STORED_TYPES = new Map<string, ColumnType>([
  ['TEXT', 'text'],
  ['VARCHAR', 'text'],
  ['FLOAT', 'double'],
  ['DOUBLE', 'double'],
  ['BOOLEAN', 'boolean'],
  ['TIMESTAMP_NTZ', 'timestamp'],
  ['BINARY', 'binary'],
  ['VARIANT', 'json'],
]);

/** The logical type of a NUMBER, by `precision,scale`: NUMBER(38,0) is what INTEGER and BIGINT written by hand are. */
const NUMBER_TYPES = new Map<string, ColumnType>([
  ['10,0', 'integer'],
  ['19,0', 'bigint'],
  ['38,0', 'bigint'],
  ['10,2', 'money'],
]);

/**
 * The logical type a stored column's type stands for, from its
 * INFORMATION_SCHEMA.COLUMNS row (`DATA_TYPE`, `NUMERIC_PRECISION`,
 * `NUMERIC_SCALE`, `CHARACTER_MAXIMUM_LENGTH`), or `undefined` when none does
 * (a DATE, a NUMBER(12,4), a VARCHAR(100) changed by hand): loads leave such
 * a column NULL. Snowflake and the
 * emulator both report a type there by its standard name, not as written (a
 * VARCHAR column is TEXT, a DOUBLE one FLOAT, NUMBER(19,0) is NUMBER with
 * precision 19 and scale 0); VARCHAR and DOUBLE are taken as well, should
 * DATA_TYPE ever carry the name as written.
 */
export function columnTypeOf(dataType: string, precision: unknown, scale: unknown, maxLength: unknown = null): ColumnType | undefined {
  const type = dataType.toUpperCase();
  if (type === 'NUMBER') return NUMBER_TYPES.get(`${Number(precision)},${Number(scale)}`);
  // A VARCHAR(n) shorter than the default: a longer value would fail the whole load, not one row. Left out.
  if (maxLength !== null && maxLength !== undefined && Number(maxLength) < VARCHAR_DEFAULT_LENGTH) return undefined;
  return STORED_TYPES.get(type);
}

/** The length of a VARCHAR declared without one (16 MB), the `text` columns sneakpipe creates. */
const VARCHAR_DEFAULT_LENGTH = 16_777_216;

/**
 * How each logical type travels in a bind and sits in the staging table:
 * timestamps as `YYYY-MM-DD HH:MM:SS.fff` text (UTC) and bytes as hex text,
 * converted when moved into the target, because array binds carry text and numbers only.
 * Doubles and booleans travel as text too (`1e+300`, `true`): the driver
 * types an array bind by its first row's value (an integral double would go
 * as FIXED, a null first row as TEXT), and the emulator reads FIXED values as
 * integers and cannot take a null among booleans.
 */
const STAGING_TYPES: Record<ColumnType, string> = {
  text: 'VARCHAR',
  integer: 'NUMBER(10,0)',
  bigint: 'NUMBER(19,0)',
  money: 'NUMBER(10,2)',
  double: 'VARCHAR',
  boolean: 'VARCHAR',
  timestamp: 'VARCHAR',
  binary: 'VARCHAR',
  json: 'VARCHAR',
};

function fromStaging(column: ColumnSpec): string {
  const c = `s.${quoteColumnName(column.name)}`;
  if (column.type === 'timestamp') return `TO_TIMESTAMP_NTZ(${c})`;
  if (column.type === 'binary') return `TO_BINARY(${c}, 'HEX')`;
  if (column.type === 'json') return `PARSE_JSON(${c})`;
  if (column.type === 'double') return `CAST(${c} AS FLOAT)`;
  if (column.type === 'boolean') return `CAST(${c} AS BOOLEAN)`;
  return c;
}

/**
 * Lists the databases named like `database` that the role can see (the role has a privilege on them). `LIKE` is
 * case-insensitive and `_` is a wildcard there, so the caller keeps the row whose `name` is the upper-cased name.
 * SHOW needs no privilege of its own and no running warehouse.
 */
export function showDatabasesSql(database: string): string {
  return `SHOW DATABASES LIKE '${quoteUpperCaseIdentifier(database).slice(1, -1)}'`;
}

/** Lists the schemas named like `schema` in `database` that the role can see (see `showDatabasesSql`). */
export function showSchemasSql(database: string, schema: string): string {
  return `SHOW SCHEMAS LIKE '${quoteUpperCaseIdentifier(schema).slice(1, -1)}' IN DATABASE ${quoteUpperCaseIdentifier(database)}`;
}

/**
 * The columns of one table as stored, in order, with what `columnTypeOf` reads (the schema and the table are bound,
 * upper-cased). None when the table does not exist or the role cannot see it.
 */
export function columnsOfTableSql(database: string): string {
  return [
    `SELECT COLUMN_NAME, DATA_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE, CHARACTER_MAXIMUM_LENGTH FROM ${quoteUpperCaseIdentifier(database)}.INFORMATION_SCHEMA.COLUMNS`,
    'WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
  ].join('\n');
}

/** Every column of every table the role can see in the schema (`TABLE_NAME`, `COLUMN_NAME`; the schema is bound). */
export function columnsOfSchemaSql(database: string): string {
  return `SELECT TABLE_NAME, COLUMN_NAME FROM ${quoteUpperCaseIdentifier(database)}.INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ?`;
}

export function createDatabaseSql(database: string): string {
  return `CREATE DATABASE IF NOT EXISTS ${quoteUpperCaseIdentifier(database)}`;
}

export function createSchemaSql(database: string, schema: string): string {
  return `CREATE SCHEMA IF NOT EXISTS ${quoteUpperCaseIdentifier(database)}.${quoteUpperCaseIdentifier(schema)}`;
}

/** Snowflake's names, types and load time, for the statements that define tables. */
const SNOWFLAKE_DIALECT: TableDialect = { quote: quoteColumnName, types: TYPES, loadTime: 'SYSDATE()' };

/** `CREATE TABLE IF NOT EXISTS` for a table spec (a primary key only for keyed reference tables). */
export function createTableSql(database: string, schema: string, table: TableSpec): string {
  return createTableStatement(SNOWFLAKE_DIALECT, qualifiedName(database, schema, table.name), table);
}

/** Adds a column a table created by an older version lacks (nullable: old rows have no value). */
export function addColumnSql(database: string, schema: string, table: TableSpec, column: ColumnSpec): string {
  return `ALTER TABLE ${qualifiedName(database, schema, table.name)} ADD COLUMN IF NOT EXISTS ${columnDefinitionSql(SNOWFLAKE_DIALECT, { ...column, nullable: true })}`;
}

/** Drops the key of a table that is append-only now (0.1.0 declared one on STREAMING_ORDERS and DEAD_LETTERS). */
export function dropPrimaryKeySql(database: string, schema: string, table: TableSpec): string {
  return `ALTER TABLE ${qualifiedName(database, schema, table.name)} DROP PRIMARY KEY`;
}

/** The session's staging table for a target table (temporary: private to the session, gone with it). */
export function stagingTableName(table: TableSpec): string {
  return quoteUpperCaseIdentifier(`${table.name}_STAGE`);
}

/**
 * The staging table's column definitions for a spec: two specs of a table
 * (as defined, and as widened by `addColumns`) whose definitions differ
 * need their own staging table.
 */
export function stagingColumnsSql(table: TableSpec): string {
  return loadedColumns(table)
    .map((c) => `${quoteColumnName(c.name)} ${STAGING_TYPES[c.type]}`)
    .join(', ');
}

export function createStagingTableSql(table: TableSpec): string {
  return `CREATE TEMPORARY TABLE IF NOT EXISTS ${stagingTableName(table)} (${stagingColumnsSql(table)})`;
}

/** The staging table again, for a spec of the table with other columns than the one it was created for. */
export function replaceStagingTableSql(table: TableSpec): string {
  return `CREATE OR REPLACE TEMPORARY TABLE ${stagingTableName(table)} (${stagingColumnsSql(table)})`;
}

export function truncateStagingSql(table: TableSpec): string {
  return `TRUNCATE TABLE ${stagingTableName(table)}`;
}

/** One multi-row insert: the driver sends every row as array binds in one request. */
export function insertStagingSql(table: TableSpec): string {
  const columns = loadedColumns(table);
  return `INSERT INTO ${stagingTableName(table)} (${columns.map((c) => quoteColumnName(c.name)).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
}

/**
 * Appends the staged rows to an append-only table: no key, no MERGE, and
 * nothing read from the target, so its cost does not grow with the table.
 */
export function appendFromStagingSql(database: string, schema: string, table: TableSpec): string {
  const columns = loadedColumns(table);
  return [
    `INSERT INTO ${qualifiedName(database, schema, table.name)} (${columns.map((c) => quoteColumnName(c.name)).join(', ')})`,
    `SELECT ${columns.map(fromStaging).join(', ')} FROM ${stagingTableName(table)} s`,
  ].join('\n');
}

/**
 * Moves staged rows into a keyed reference table, idempotently: rows whose key
 * is already there are skipped, and duplicates within the batch collapse to
 * the first. The conversions happen in the USING subquery so the INSERT takes
 * plain columns.
 */
export function mergeSql(database: string, schema: string, table: TableSpec): string {
  const columns = loadedColumns(table);
  const [first] = primaryKeyColumns(table);
  if (!first) throw new Error(`${table.name} has no primary key to merge on`);
  const key = quoteUpperCaseIdentifier(first);
  const names = columns.map((c) => quoteColumnName(c.name));
  return [
    `MERGE INTO ${qualifiedName(database, schema, table.name)} t`,
    `USING (SELECT ${columns.map((c) => `${fromStaging(c)} AS ${quoteColumnName(c.name)}`).join(', ')}`,
    `       FROM ${stagingTableName(table)} s`,
    `       QUALIFY ROW_NUMBER() OVER (PARTITION BY s.${key} ORDER BY s.${key}) = 1) s`,
    `ON t.${key} = s.${key}`,
    `WHEN NOT MATCHED THEN INSERT (${names.join(', ')}) VALUES (${names.map((n) => `s.${n}`).join(', ')})`,
  ].join('\n');
}

/**
 * The advances of one load, as staged for the compare-and-set below (a
 * session's temporary table only). "None stored yet" is -1 rather than NULL:
 * the emulator cannot take a NULL among numbers in an array bind, and offsets
 * are never negative.
 */
export const POSITION_ADVANCES: TableSpec = {
  name: 'POSITION_ADVANCES',
  description: 'The positions one load advances: from the expected offset (-1: none stored yet) to the next one.',
  columns: [
    { name: 'CONSUMER_GROUP', type: 'text' },
    { name: 'TOPIC', type: 'text' },
    { name: 'PARTITION', type: 'integer' },
    { name: 'EXPECTED_OFFSET', type: 'bigint' },
    { name: 'NEXT_OFFSET', type: 'bigint' },
  ],
};

/** The staged expected offset of a partition with no stored position. */
export const NONE_STORED = -1;

const samePartition = `t.CONSUMER_GROUP = s.CONSUMER_GROUP AND t.TOPIC = s.TOPIC AND t."PARTITION" = s."PARTITION"`;

/**
 * The compare-and-set of a load's positions, part 1: advances the partitions
 * whose stored offset is the expected one. Runs first in the transaction:
 * Snowflake's UPDATE locks `LOAD_POSITIONS` until the commit, so concurrent
 * loads take turns from here on. (A MERGE would do both parts in one
 * statement, but the emulator cannot run a MERGE inside a transaction.)
 */
export function advancePositionsSql(database: string, schema: string): string {
  return [
    `UPDATE ${qualifiedName(database, schema, LOAD_POSITIONS.name)} t SET NEXT_OFFSET = s.NEXT_OFFSET, UPDATED_AT = SYSDATE()`,
    `FROM ${stagingTableName(POSITION_ADVANCES)} s WHERE ${samePartition} AND t.NEXT_OFFSET = s.EXPECTED_OFFSET`,
  ].join('\n');
}

/** Part 2: stores the positions of partitions loaded for the first time, if still none is stored. */
export function insertFirstPositionsSql(database: string, schema: string): string {
  const positions = qualifiedName(database, schema, LOAD_POSITIONS.name);
  return [
    `INSERT INTO ${positions} (CONSUMER_GROUP, TOPIC, "PARTITION", NEXT_OFFSET)`,
    `SELECT s.CONSUMER_GROUP, s.TOPIC, s."PARTITION", s.NEXT_OFFSET FROM ${stagingTableName(POSITION_ADVANCES)} s`,
    `WHERE s.EXPECTED_OFFSET = ${NONE_STORED} AND NOT EXISTS (SELECT 1 FROM ${positions} t WHERE ${samePartition})`,
  ].join('\n');
}

/**
 * The row of a group that its loads lock (TOPIC '' and PARTITION -1, never a
 * real partition): created once, outside any transaction, before a load that
 * stores a first position. Two processes racing may both create it; two lock
 * rows lock just as well.
 */
export function ensurePositionsLockSql(database: string, schema: string): string {
  const positions = qualifiedName(database, schema, LOAD_POSITIONS.name);
  return [
    `INSERT INTO ${positions} (CONSUMER_GROUP, TOPIC, "PARTITION", NEXT_OFFSET)`,
    `SELECT ?, '', -1, 0 WHERE NOT EXISTS (SELECT 1 FROM ${positions} WHERE CONSUMER_GROUP = ? AND TOPIC = '' AND "PARTITION" = -1)`,
  ].join('\n');
}

/**
 * Inside a load's transaction, before its first positions are inserted: an
 * UPDATE of the group's lock row. Snowflake's INSERTs take no lock, so two
 * loads could otherwise both find no stored position and both insert one; an
 * UPDATE makes the second wait for the first to commit (on the emulator,
 * DuckDB refuses it with a conflict instead), and then it sees the first's row.
 */
export function lockPositionsSql(database: string, schema: string): string {
  return `UPDATE ${qualifiedName(database, schema, LOAD_POSITIONS.name)} SET UPDATED_AT = SYSDATE() WHERE CONSUMER_GROUP = ? AND TOPIC = '' AND "PARTITION" = -1`;
}

/** The stored positions of a group (optionally of one topic). */
export function selectPositionsSql(database: string, schema: string, streamed = false): string {
  const select = (table: string) =>
    `SELECT TOPIC, "PARTITION", NEXT_OFFSET FROM ${qualifiedName(database, schema, table)} WHERE CONSUMER_GROUP = ?`;
  if (!streamed) return select(LOAD_POSITIONS.name);
  return `${select(LOAD_POSITIONS.name)} UNION ALL SELECT TOPIC, "PARTITION", MAX(NEXT_OFFSET) FROM (${select(STREAMED_POSITIONS_TABLE)}) GROUP BY TOPIC, "PARTITION"`;
}

/** Where the Snowpipe Streaming load method records its positions (see `STREAMED_POSITIONS`). */
export const STREAMED_POSITIONS_TABLE = 'STREAMED_POSITIONS';

/** Formats epoch milliseconds as a Snowflake TIMESTAMP_NTZ literal value (UTC). */
export function timestampText(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}
