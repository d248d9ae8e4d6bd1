import { LOAD_POSITIONS, SneakpipeError, primaryKeyColumns, type TableSpec } from '@sneakpipe/core';
import type { SnowflakeConnectionConfig } from './config.js';
import { snowflakeError } from './errors.js';
import type { RunStatement, SnowflakeConn } from './execute.js';
import {
  addColumnSql,
  columnsOfSchemaSql,
  createDatabaseSql,
  createSchemaSql,
  createTableSql,
  dropPrimaryKeySql,
  qualifiedName,
  showDatabasesSql,
  showSchemasSql,
} from './sql.js';

/**
 * Creates what is missing, and only that: the database, the schema and each table (`tables` and `LOAD_POSITIONS`)
 * are looked up first (SHOW and INFORMATION_SCHEMA, which list what the role can see) and created only when absent.
 * Snowflake checks the create privilege even for `CREATE … IF NOT EXISTS` on an object that exists, so a role that
 * may only use an existing schema and its tables starts without any CREATE. Tables created by an older version get
 * the columns they lack. Returns the names of the schema's tables (those found and those created).
 */
export async function createMissingObjects(
  conn: SnowflakeConn,
  run: RunStatement,
  config: SnowflakeConnectionConfig,
  tables: readonly TableSpec[],
): Promise<Set<string>> {
  const { database, schema } = config;
  const create = (what: string, sqlText: string) => createOrExplain(conn, run, config, what, sqlText);
  if (!(await exists(conn, run, showDatabasesSql(database), database))) {
    await create(`database ${database}`, createDatabaseSql(database));
  }
  if (!(await exists(conn, run, showSchemasSql(database, schema), schema))) {
    await create(`schema ${database}.${schema}`, createSchemaSql(database, schema));
  }
  const columns = new Map<string, Set<string>>();
  for (const row of await run(conn, columnsOfSchemaSql(database), [schema.toUpperCase()])) {
    const table = String(row.TABLE_NAME);
    if (!columns.has(table)) columns.set(table, new Set());
    columns.get(table)!.add(String(row.COLUMN_NAME));
  }
  let upgraded = false;
  for (const table of [...tables, LOAD_POSITIONS]) {
    const existing = columns.get(table.name);
    if (!existing) {
      await create(`table ${qualifiedName(database, schema, table.name)}`, createTableSql(database, schema, table));
      columns.set(table.name, new Set(table.columns.map((c) => c.name)));
      continue;
    }
    // Tables created by an older version lack columns.
    const missing = table.columns.filter((c) => !existing.has(c.name));
    for (const column of missing) await run(conn, addColumnSql(database, schema, table, column));
    upgraded = missing.length > 0 || upgraded;
  }
  // Tables created by 0.1.0 (they lacked columns) had keys on the tables that are append-only now. Snowflake
  // does not enforce keys, but the emulator (DuckDB) and other tools do; a key that cannot be dropped is left.
  if (upgraded) {
    for (const table of tables.filter((t) => primaryKeyColumns(t).length === 0)) {
      await run(conn, dropPrimaryKeySql(database, schema, table)).catch(() => undefined);
    }
  }
  return new Set(columns.keys());
}

/** True when a SHOW statement lists an object named `name` (upper-cased, as quoted identifiers are stored). */
async function exists(conn: SnowflakeConn, run: RunStatement, showSql: string, name: string): Promise<boolean> {
  const rows = await run(conn, showSql);
  return rows.some((r) => r.name === name.toUpperCase());
}

/** Runs a CREATE; if it fails (typically: the role may not create it), says what was missing and what to do. */
async function createOrExplain(
  conn: SnowflakeConn,
  run: RunStatement,
  config: SnowflakeConnectionConfig,
  what: string,
  sqlText: string,
): Promise<void> {
  try {
    await run(conn, sqlText);
  } catch (error) {
    const role = config.role ? `role ${config.role}` : "the user's default role";
    // Not retried unless the driver's error is passing (a network blip): a missing object or privilege takes a person.
    const mapped = snowflakeError(error);
    throw new SneakpipeError(
      mapped instanceof SneakpipeError ? mapped.code : 'NOT_AUTHORIZED',
      `Snowflake: ${what} does not exist (or ${role} has no privilege on it), and creating it failed: ${(error as Error).message}. ` +
        'Create it beforehand and grant the role its privileges (docs/snowflake.md, "Setting up an account"), or let a role that may create it start the loader once.',
      { retriable: mapped instanceof SneakpipeError && mapped.retriable, cause: error },
    );
  }
}
