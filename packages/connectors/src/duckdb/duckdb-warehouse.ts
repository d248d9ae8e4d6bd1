import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  BLOB,
  DOUBLE,
  DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  VARCHAR,
  blobValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import {
  LOAD_POSITIONS,
  PositionConflictError,
  loadedColumns,
  type ColumnType,
  type PositionAdvance,
  type PositionConflict,
  type Row,
  type TableSpec,
  type Warehouse,
  type WarehouseLoad,
  type WarehouseRow,
} from '@sneakpipe/core';
import { DuckDbSettingsSchema, type DuckDbSettings } from './config.js';
import { createTableSql, quoteIdentifier } from './ddl.js';
import { mappingDuckdbErrors } from './errors.js';
import { migrateTable } from './migrate.js';

/** Options of {@link DuckDbWarehouse.open}: its settings ({@link DuckDbSettingsSchema}), and the tables. */
export interface DuckDbWarehouseOptions extends DuckDbSettings {
  /**
   * The tables to create and load (besides `LOAD_POSITIONS`, which the
   * warehouse adds itself): the application's, e.g. `WAREHOUSE_TABLES` of
   * `@sneakpipe/sneakers`. The connector knows no tables of its own.
   */
  tables: readonly TableSpec[];
}

/** DuckDB's vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048;

/**
 * The embedded warehouse: a DuckDB file with the tables it is given (the same
 * as on Snowflake, under `RETAIL_LAB.STG` by default), created on first use.
 *
 * Each load is one transaction: the positions it advances are checked (compare
 * and set, in `LOAD_POSITIONS`), rows are appended column-wise into a
 * temporary staging table (DuckDB's appender, 2,048 rows per data chunk) and
 * moved with one `INSERT … SELECT` per table. Target tables are append-only:
 * no key index, and no statement of a load reads them. A file written by
 * 0.1.0 (keyed tables) is migrated on open.
 *
 * @example
 * ```ts
 * const warehouse = await DuckDbWarehouse.open({ path: './data/warehouse.duckdb', tables: [ORDERS_TABLE] });
 * decoded$.pipe(batch(), load(positionedSink({ warehouse, group: 'loader', rows: toOrderRows }))).subscribe();
 * const top = await warehouse.query(`SELECT BRAND, COUNT(*) AS N FROM ${warehouse.table('ORDERS')} GROUP BY 1`);
 * ```
 */
export class DuckDbWarehouse implements Warehouse {
  /** `"RETAIL_LAB"."STG"`, quoted. */
  readonly qualifiedSchema: string;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly database: string,
    private readonly schema: string,
    private readonly tables: readonly TableSpec[],
  ) {
    this.qualifiedSchema = `${quoteIdentifier(database)}.${quoteIdentifier(schema)}`;
  }

  /**
   * Opens (creating if needed) the warehouse file and its tables. Rejects with
   * DuckDB's errors mapped into sneakpipe's model (see `duckdbError`), e.g.
   * `WAREHOUSE_LOCKED` while another process holds the file.
   */
  static async open(options: DuckDbWarehouseOptions): Promise<DuckDbWarehouse> {
    return mappingDuckdbErrors(() => DuckDbWarehouse.openFile(options));
  }

  private static async openFile(options: DuckDbWarehouseOptions): Promise<DuckDbWarehouse> {
    const { path, database, schema, memoryLimit } = DuckDbSettingsSchema.parse(options);
    if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
    const instance = await DuckDBInstance.create(':memory:', { memory_limit: memoryLimit });
    const connection = await instance.connect();
    const literal = path.replaceAll("'", "''");
    await connection.run(`ATTACH '${literal}' AS ${quoteIdentifier(database)}`);
    const warehouse = new DuckDbWarehouse(instance, connection, database, schema, options.tables);
    await warehouse.init();
    return warehouse;
  }

  /** The fully qualified, quoted name of a table. */
  table(name: string): string {
    return `${this.qualifiedSchema}.${quoteIdentifier(name)}`;
  }

  async init(): Promise<void> {
    await this.exclusive(async () => {
      await this.connection.run(`CREATE SCHEMA IF NOT EXISTS ${this.qualifiedSchema}`);
      for (const table of [...this.tables, LOAD_POSITIONS]) {
        await migrateTable(this.connection, this.database, this.schema, table);
        await this.connection.run(createTableSql(this.table(table.name), table));
        // Outside any load's transaction, so a rolled-back load cannot drop it.
        await this.connection.run(createStagingSql(table));
      }
    });
  }

  /** Appends the rows and advances the positions in one transaction (see the class comment). */
  append(load: WarehouseLoad): Promise<void> {
    return this.exclusive(() =>
      this.transaction(async () => {
        if (load.positions?.length) await this.checkPositions(load.group!, load.positions);
        for (const { table, rows } of load.tables) await this.insertRows(table, rows, 'INSERT');
        if (load.positions?.length) await this.insertRows(LOAD_POSITIONS, positionRows(load.group!, load.positions), 'INSERT OR REPLACE');
      }),
    );
  }

  async positions(group: string, topic: string): Promise<ReadonlyMap<number, number>> {
    const rows = await this.query<{ PARTITION: number; NEXT_OFFSET: bigint }>(
      `SELECT "PARTITION", NEXT_OFFSET FROM ${this.table(LOAD_POSITIONS.name)} WHERE CONSUMER_GROUP = ? AND TOPIC = ?`,
      [group, topic],
    );
    return new Map(rows.map((r) => [Number(r.PARTITION), Number(r.NEXT_OFFSET)]));
  }

  upsert(table: TableSpec, rows: readonly WarehouseRow[]): Promise<void> {
    return this.exclusive(() => this.transaction(() => this.insertRows(table, rows, 'INSERT OR IGNORE')));
  }

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return this.exclusive(async () => {
      const reader = await this.connection.runAndReadAll(sql, params as DuckDBValue[]);
      return reader.getRowObjectsJS() as R[];
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private async transaction(work: () => Promise<void>): Promise<void> {
    await this.connection.run('BEGIN TRANSACTION');
    try {
      await work();
      await this.connection.run('COMMIT');
    } catch (error) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** Inside the load's transaction: conflicts when a stored position is not the expected one. */
  private async checkPositions(group: string, advances: readonly PositionAdvance[]): Promise<void> {
    const reader = await this.connection.runAndReadAll(
      `SELECT TOPIC, "PARTITION", NEXT_OFFSET FROM ${this.table(LOAD_POSITIONS.name)} WHERE CONSUMER_GROUP = ?`,
      [group],
    );
    const stored = new Map(reader.getRows().map(([topic, partition, next]) => [`${partition}/${topic}`, Number(next)]));
    const conflicts: PositionConflict[] = [];
    for (const a of advances) {
      const now = stored.get(`${a.partition}/${a.topic}`) ?? null;
      if (now !== a.from) conflicts.push({ topic: a.topic, partition: a.partition, expected: a.from, stored: now });
    }
    if (conflicts.length > 0) throw new PositionConflictError(conflicts);
  }

  /**
   * Appends rows column-wise into the table's temporary staging table (one
   * data chunk per 2,048 rows), then moves them with one statement: `INSERT`
   * (append-only tables), `INSERT OR IGNORE` (keyed reference data) or
   * `INSERT OR REPLACE` (positions).
   */
  private async insertRows(table: TableSpec, rows: readonly WarehouseRow[], insert: InsertVerb): Promise<void> {
    if (rows.length === 0) return;
    await this.connection.run(`DELETE FROM temp.${stagingName(table)}`);
    const appender = await this.connection.createAppender(`${table.name}_STAGE`, 'main', 'temp');
    try {
      const columns = loadedColumns(table);
      const types = columns.map((c) => STAGING_TYPES[c.type].type);
      for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
        const slice = rows.slice(start, start + CHUNK_ROWS);
        const chunk = DuckDBDataChunk.create(types, slice.length);
        chunk.setColumns(columns.map((c, i) => slice.map((row) => toDuckValue(row[i] ?? null))));
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    await this.connection.run(insertFromStagingSql(insert, this.table(table.name), table));
  }

  /** One statement at a time on the connection: DuckDB transactions must not interleave. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('warehouse is closed'));
    // Every statement runs here, so DuckDB's errors come out mapped into sneakpipe's model in one place.
    const mapped = () => mappingDuckdbErrors(work);
    const run = this.queue.then(mapped, mapped);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

type InsertVerb = 'INSERT' | 'INSERT OR IGNORE' | 'INSERT OR REPLACE';

/** `LOAD_POSITIONS` rows for a load's advances. */
function positionRows(group: string, advances: readonly PositionAdvance[]): WarehouseRow[] {
  return advances.map((a) => [group, a.topic, a.partition, a.to]);
}

const STAGING_TYPES: Record<ColumnType, { type: DuckDBType; cast: (column: string) => string }> = {
  text: { type: VARCHAR, cast: (c) => c },
  binary: { type: BLOB, cast: (c) => c },
  json: { type: VARCHAR, cast: (c) => `CAST(${c} AS JSON)` },
  integer: { type: DOUBLE, cast: (c) => `CAST(${c} AS INTEGER)` },
  bigint: { type: DOUBLE, cast: (c) => `CAST(${c} AS BIGINT)` },
  money: { type: DOUBLE, cast: (c) => `CAST(${c} AS DECIMAL(10,2))` },
  timestamp: { type: DOUBLE, cast: (c) => `make_timestamp(CAST(round(${c} * 1000) AS BIGINT))` },
};

const stagingName = (table: TableSpec) => quoteIdentifier(`${table.name}_STAGE`);

function createStagingSql(table: TableSpec): string {
  const columns = loadedColumns(table).map((c) => `${quoteIdentifier(c.name)} ${STAGING_TYPES[c.type].type.toString()}`);
  return `CREATE TEMP TABLE IF NOT EXISTS ${stagingName(table)} (${columns.join(', ')})`;
}

/** One statement from staging into the target; `INSERT OR IGNORE`: the first row of each key wins. */
function insertFromStagingSql(insert: InsertVerb, target: string, table: TableSpec): string {
  const columns = loadedColumns(table);
  const names = columns.map((c) => quoteIdentifier(c.name));
  const values = columns.map((c) => STAGING_TYPES[c.type].cast(quoteIdentifier(c.name)));
  return `${insert} INTO ${target} (${names.join(', ')}) SELECT ${values.join(', ')} FROM temp.${stagingName(table)}`;
}

function toDuckValue(value: WarehouseRow[number]): DuckDBValue {
  return value instanceof Uint8Array ? blobValue(value) : value;
}
