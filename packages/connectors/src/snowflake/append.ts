import type { PositionAdvance, TableSpec, WarehouseRow } from '@sneakpipe/core';
import type { SnowflakeConnectionConfig } from './config.js';
import type { RunStatement, SnowflakeConn } from './execute.js';
import { asPositionConflict, compareAndSetPositions } from './positions.js';
import { NONE_STORED, POSITION_ADVANCES, appendFromStagingSql, ensurePositionsLockSql, lockPositionsSql } from './sql.js';
import type { StagingTables } from './stage.js';

/** What {@link appendInOneTransaction} loads: tables with rows, and the positions the load advances for its group. */
export interface StagedLoad {
  readonly tables: readonly { readonly table: TableSpec; readonly rows: readonly WarehouseRow[] }[];
  readonly group: string | undefined;
  readonly advances: readonly PositionAdvance[];
}

/**
 * Stages the rows and the advances, then in one transaction advances the
 * positions (compare and set) and appends the staged rows; rolls back on any
 * failure. Staging tables are filled before the transaction: their DDL
 * commits implicitly in Snowflake.
 */
export async function appendInOneTransaction(
  conn: SnowflakeConn,
  run: RunStatement,
  staging: StagingTables,
  config: SnowflakeConnectionConfig,
  { tables, group, advances }: StagedLoad,
): Promise<void> {
  const { database, schema } = config;
  // Staging tables are created outside the transaction: DDL commits implicitly in Snowflake.
  for (const { table, rows } of tables) await staging.stage(conn, table, rows);
  if (advances.length > 0)
    await staging.stage(
      conn,
      POSITION_ADVANCES,
      advances.map((a) => [group!, a.topic, a.partition, a.from ?? NONE_STORED, a.to]),
    );
  const first = advances.filter((a) => a.from === null);
  if (first.length > 0) await run(conn, ensurePositionsLockSql(database, schema), [group!, group!]);
  await run(conn, 'BEGIN TRANSACTION');
  try {
    await asPositionConflict(advances, async () => {
      if (first.length > 0) await run(conn, lockPositionsSql(database, schema), [group!]);
      if (advances.length > 0) await compareAndSetPositions(conn, run, config, group!, advances);
    });
    for (const { table } of tables) await run(conn, appendFromStagingSql(database, schema, table));
    await run(conn, 'COMMIT');
  } catch (error) {
    await run(conn, 'ROLLBACK').catch(() => undefined);
    throw error;
  }
}
