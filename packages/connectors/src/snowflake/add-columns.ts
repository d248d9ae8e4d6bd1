import { SneakpipeError, retry, type ColumnSpec, type ColumnType, type TableSpec } from '@sneakpipe/core';
import type { SnowflakeConnectionConfig } from './config.js';
import type { RunStatement, SnowflakeConn } from './execute.js';
import { addColumnSql, columnTypeOf, columnsOfTableSql, qualifiedName, quotesAsStored } from './sql.js';

/** Attempts of an `ALTER TABLE` refused because another writer changed the table at the same moment (see `addColumn`). */
const CONFLICT_ATTEMPTS = 5;

/** A column as stored: its name, and its logical type when its SQL type stands for one. */
interface StoredColumn {
  readonly name: string;
  readonly type: ColumnType | undefined;
}

/**
 * Adds to `table` the `columns` it lacks, then returns the table as stored
 * (see `Warehouse.addColumns`). Each column goes in its own `ALTER TABLE …
 * ADD COLUMN IF NOT EXISTS`, so a writer that added it in between makes no
 * error; the statements commit by themselves (DDL does in Snowflake), so they
 * run on their own, never inside a load's transaction. The table is read
 * first: columns already there cost no DDL (nor its privilege), and a table
 * that does not exist is told apart from a refused statement.
 */
export async function addMissingColumns(
  conn: SnowflakeConn,
  run: RunStatement,
  { database, schema }: SnowflakeConnectionConfig,
  table: TableSpec,
  columns: readonly ColumnSpec[],
): Promise<TableSpec> {
  const read = () => storedColumns(conn, run, database, schema, table.name);
  let stored = await read();
  if (stored.length === 0) {
    throw new SneakpipeError(
      'OBJECT_NOT_FOUND',
      `no table ${qualifiedName(database, schema, table.name)} (or the role cannot see it): create it before adding columns`,
      { retriable: false },
    );
  }
  const known = new Set(stored.map((c) => c.name));
  const missing = columns.filter((c) => !known.has(c.name.toUpperCase()));
  for (const column of missing) {
    await addColumn(conn, run, addColumnSql(database, schema, table, column), `adding column ${column.name} to ${table.name}`);
  }
  // Read again: the type that won is the stored one, when another writer added the same column first.
  if (missing.length > 0) stored = await read();
  const defined = new Set(table.columns.map((c) => c.name.toUpperCase()));
  // A column whose name sneakpipe's SQL cannot name as stored ("note", made by hand in lower case) is left out too.
  const others = stored.flatMap(({ name, type }) =>
    defined.has(name) || !type || !quotesAsStored(name) ? [] : [{ name, type, nullable: true }],
  );
  return { ...table, columns: [...table.columns, ...others] };
}

/**
 * Runs one `ADD COLUMN IF NOT EXISTS`, again when it was refused as a
 * transaction conflict (SQLSTATE 40001): Snowflake makes a statement wait for
 * another's lock on the table, but the emulator's DuckDB refuses at once
 * the second of two writers altering it together. Sent again, the statement
 * adds nothing when the other writer added the same column.
 */
async function addColumn(conn: SnowflakeConn, run: RunStatement, sqlText: string, what: string): Promise<void> {
  await retry(() => run(conn, sqlText), {
    what,
    maxAttempts: CONFLICT_ATTEMPTS,
    initialDelayMs: 20,
    maxDelayMs: 500,
    isRetriable: (error) => (error as { sqlState?: unknown }).sqlState === '40001',
  });
}

/** The table's columns in order, names as stored (upper-cased, as `quoteUpperCaseIdentifier` creates them). */
async function storedColumns(
  conn: SnowflakeConn,
  run: RunStatement,
  database: string,
  schema: string,
  table: string,
): Promise<StoredColumn[]> {
  const rows = await run(conn, columnsOfTableSql(database), [schema.toUpperCase(), table.toUpperCase()]);
  return rows.map((r) => ({
    name: String(r.COLUMN_NAME),
    type: columnTypeOf(String(r.DATA_TYPE), r.NUMERIC_PRECISION, r.NUMERIC_SCALE, r.CHARACTER_MAXIMUM_LENGTH),
  }));
}
