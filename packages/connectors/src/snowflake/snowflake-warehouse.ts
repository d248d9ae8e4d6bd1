import {
  checkRowWidths,
  parseConfig,
  type ColumnSpec,
  type Row,
  type TableSpec,
  type Warehouse,
  type WarehouseLoad,
  type WarehouseRow,
} from '@sneakpipe/core';
import { addMissingColumns } from './add-columns.js';
import { appendInOneTransaction } from './append.js';
import { SnowflakeConnectionSchema, type SnowflakeConnection, type SnowflakeConnectionConfig } from './config.js';
import { connectionOptions } from './connection-options.js';
import { plainRow, statementRunner, type Bind, type RunStatement } from './execute.js';
import { createMissingObjects } from './migrate.js';
import { openSnowflakePool, type SnowflakePool } from './pool.js';
import { storedPositions } from './positions.js';
import { STREAMED_POSITIONS_TABLE, mergeSql, qualifiedName } from './sql.js';
import { StagingTables } from './stage.js';

/** Options of {@link SnowflakeWarehouse.open} besides the connection. */
export interface SnowflakeWarehouseOptions {
  /**
   * The tables to create and load (besides `LOAD_POSITIONS`, which the
   * warehouse adds itself): the application's, e.g. `WAREHOUSE_TABLES` of
   * `@sneakpipe/sneakers`. The connector knows no tables of its own.
   */
  tables: readonly TableSpec[];
  /** Called with every statement before it is sent (for audits and tests; binds are not passed). */
  onStatement?: (sqlText: string) => void;
}

/**
 * The Snowflake warehouse: the same `Warehouse` contract as DuckDB, on a
 * pooled `snowflake-sdk` connection.
 *
 * A load first stages each table's rows in one request — a multi-row INSERT
 * with array binds into a temporary staging table private to the connection,
 * the load's positions included — then runs one explicit transaction:
 * an UPDATE and an INSERT on the small `LOAD_POSITIONS` table advance the
 * positions with compare-and-set (if a position is not the expected one, the
 * transaction rolls back and the load fails with a `PositionConflictError`),
 * and one `INSERT … SELECT` per table appends the staged rows. No MERGE
 * touches a target table and no statement reads one, so a load costs the same
 * however large the tables grow. Concurrent members are safe: the UPDATE locks
 * `LOAD_POSITIONS` until the commit, so two writers can never both advance a
 * partition from the same position. A first position is an INSERT, which
 * Snowflake does not lock: a load storing one first updates its group's lock
 * row (see `lockPositionsSql`), so two writers can never both store it either.
 *
 * Large batches: above `CLIENT_STAGE_ARRAY_BINDING_THRESHOLD` bound values the
 * driver itself uploads the array bind to a stage (PUT + COPY), so there is no
 * second code path to maintain here.
 *
 * The parts: `pool.ts` (connections, and why a login failed), `migrate.ts`
 * (the database objects), `add-columns.ts` (schema evolution's columns),
 * `stage.ts` (staging tables), `append.ts` (a load's transaction) and
 * `positions.ts` (their compare-and-set).
 */
export class SnowflakeWarehouse implements Warehouse {
  private readonly run: RunStatement;
  private readonly staging: StagingTables;
  /** Whether the schema has `STREAMED_POSITIONS` (the Snowpipe Streaming method's positions), read with `LOAD_POSITIONS`. */
  private streamed = false;

  private constructor(
    private readonly pool: SnowflakePool,
    readonly config: SnowflakeConnectionConfig,
    private readonly tables: readonly TableSpec[],
    onStatement: ((sqlText: string) => void) | undefined,
  ) {
    this.run = statementRunner(onStatement);
    this.staging = new StagingTables(this.run);
  }

  /**
   * Connects (validating the settings first) and creates the database objects.
   * Rejects with a `ConfigError` naming a bad setting, and with the driver's
   * errors mapped into sneakpipe's model (see `snowflakeError`).
   */
  static async open(connection: SnowflakeConnection, options: SnowflakeWarehouseOptions): Promise<SnowflakeWarehouse> {
    const config = parseConfig(SnowflakeConnectionSchema, connection, 'Snowflake');
    const pool = await openSnowflakePool(await connectionOptions(config), config.poolSize);
    const warehouse = new SnowflakeWarehouse(pool, config, options.tables, options.onStatement);
    try {
      await warehouse.init();
    } catch (error) {
      // The pool's eviction timer would keep the process alive after a failed open.
      await warehouse.close().catch(() => undefined);
      throw error;
    }
    return warehouse;
  }

  /** Creates the database, schema and tables that are missing, and only those (see `createMissingObjects`). */
  async init(): Promise<void> {
    const tables = await this.pool.use((conn) => createMissingObjects(conn, this.run, this.config, this.tables));
    this.streamed = tables.has(STREAMED_POSITIONS_TABLE);
  }

  /** Stages the rows, then appends them and advances the positions in one transaction (see the class comment). */
  async append(load: WarehouseLoad): Promise<void> {
    const tables = load.tables.filter((t) => t.rows.length > 0);
    // Refused before anything is sent: a short row would bind nulls where its values are missing.
    for (const { table, rows } of tables) checkRowWidths(table, rows);
    const staged = { tables, group: load.group, advances: load.positions ?? [] };
    await this.pool.use((conn) => appendInOneTransaction(conn, this.run, this.staging, this.config, staged));
  }

  positions(group: string, topic: string): Promise<ReadonlyMap<number, number>> {
    return this.pool.use((conn) => storedPositions(conn, this.run, this.config, group, topic, this.streamed));
  }

  /** Stages the rows, then one MERGE inserts those whose key is absent (see `mergeSql`). */
  async insertIfAbsent(table: TableSpec, rows: readonly WarehouseRow[]): Promise<void> {
    if (rows.length === 0) return;
    checkRowWidths(table, rows);
    await this.pool.use(async (conn) => {
      await this.staging.stage(conn, table, rows);
      await this.run(conn, mergeSql(this.config.database, this.config.schema, table));
    });
  }

  /**
   * Adds the columns the table lacks, nullable, then returns it as stored (see `addMissingColumns`). Loads take the
   * returned spec as they take the one the warehouse was opened with: each spec gets a staging table of its columns.
   */
  addColumns(table: TableSpec, columns: readonly ColumnSpec[]): Promise<TableSpec> {
    return this.pool.use((conn) => addMissingColumns(conn, this.run, this.config, table, columns));
  }

  table(name: string): string {
    return qualifiedName(this.config.database, this.config.schema, name);
  }

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return this.pool.use(async (conn) => (await this.run(conn, sql, params as Bind[])).map(plainRow) as R[]);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
