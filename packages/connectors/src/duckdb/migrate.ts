import type { DuckDBConnection } from '@duckdb/node-api';
import { primaryKeyColumns, type TableSpec } from '@sneakpipe/core';
import { columnSql, createTableSql, quoteIdentifier } from './ddl.js';

/**
 * Brings an existing table to its spec, keeping its rows: adds the columns it
 * lacks (NULL in old rows); drops the default of its load-time columns
 * (earlier versions declared `current_localtimestamp()` or the UTC time;
 * loads set these columns themselves, and DuckDB cannot replay a log that
 * altered a table with a function default, see `ddl.ts`); and, for a table
 * that had a key and is append-only now
 * (`STREAMING_ORDERS` and `DEAD_LETTERS` of 0.1.0), rebuilds it without the
 * key. DuckDB cannot drop a constraint in place, so the rows are copied
 * into a new table, in one transaction. A table that does not exist is left
 * to `CREATE TABLE`.
 */
export async function migrateTable(connection: DuckDBConnection, database: string, schema: string, table: TableSpec): Promise<void> {
  const where = `database_name = ? AND schema_name = ? AND table_name = ?`;
  const params = [database, schema, table.name];
  const columns = await connection.runAndReadAll(`SELECT column_name, column_default FROM duckdb_columns() WHERE ${where}`, params);
  const defaults = new Map(columns.getRows().map(([name, value]) => [String(name), value === null ? null : String(value)]));
  const existing = new Set(defaults.keys());
  if (existing.size === 0) return;
  const keyed = await connection.runAndReadAll(
    `SELECT COUNT(*) FROM duckdb_constraints() WHERE ${where} AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')`,
    params,
  );
  const hasKey = Number(keyed.getRows()[0]![0]) > 0;
  const qualified = (tableName: string) => [database, schema, tableName].map(quoteIdentifier).join('.');
  const name = qualified(table.name);
  if (hasKey && primaryKeyColumns(table).length === 0) {
    const rebuilt = qualified(`${table.name}__UNKEYED`);
    const kept = table.columns.filter((c) => existing.has(c.name)).map((c) => quoteIdentifier(c.name));
    await connection.run('BEGIN TRANSACTION');
    try {
      await connection.run(createTableSql(rebuilt, table));
      await connection.run(`INSERT INTO ${rebuilt} (${kept.join(', ')}) SELECT ${kept.join(', ')} FROM ${name}`);
      await connection.run(`DROP TABLE ${name}`);
      await connection.run(`ALTER TABLE ${rebuilt} RENAME TO ${quoteIdentifier(table.name)}`);
      await connection.run('COMMIT');
    } catch (error) {
      await connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
    return;
  }
  // Defaults first, checkpointed: a log that adds columns to a table that still has a function default cannot be replayed.
  const defaulted = table.columns.filter((c) => c.default === 'now' && existing.has(c.name) && defaults.get(c.name) !== null);
  for (const column of defaulted) await connection.run(`ALTER TABLE ${name} ALTER COLUMN ${quoteIdentifier(column.name)} DROP DEFAULT`);
  if (defaulted.length > 0) await connection.run('CHECKPOINT');
  const missing = table.columns.filter((c) => !existing.has(c.name));
  // Added columns are nullable: the rows already there have no value for them.
  for (const column of missing) await connection.run(`ALTER TABLE ${name} ADD COLUMN ${columnSql({ ...column, nullable: true })}`);
  if (missing.length > 0) await connection.run('CHECKPOINT');
}
