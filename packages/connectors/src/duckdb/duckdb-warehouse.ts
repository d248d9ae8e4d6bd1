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
  DEAD_LETTERS,
  DEFAULT_DATABASE,
  DEFAULT_SCHEMA,
  STREAMING_ORDERS,
  WAREHOUSE_TABLES,
  deadLetterRow,
  streamingOrderRow,
  type Decoded,
  type OrderEvent,
  type Row,
  type Warehouse,
} from '@sneakpipe/core';
import { createTableSql, quoteIdentifier } from './ddl.js';

/** Options of {@link DuckDbWarehouse.open}. */
export interface DuckDbWarehouseOptions {
  /** The database file, created with its folder if absent; `:memory:` for a throwaway one. Default `./data/warehouse.duckdb`. */
  path?: string;
  /** Catalog name the file is attached as, so queries read `RETAIL_LAB.STG.…` as on Snowflake. Default `RETAIL_LAB`. */
  database?: string;
  /** Schema of the tables. Default `STG`. */
  schema?: string;
  /**
   * DuckDB's memory limit, e.g. `1GB`. DuckDB otherwise takes up to 80% of
   * the machine's memory for its caches, which a pipeline sharing the host does
   * not want. Default `256MB`.
   */
  memoryLimit?: string;
}

/** DuckDB's vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048;

// Staging columns: what JavaScript hands over cheaply; SQL casts to the final types.
const ORDER_STAGING: readonly [string, DuckDBType][] = [
  ['EVENT_ID', VARCHAR],
  ['EVENT_TYPE', VARCHAR],
  ['TIMESTAMP_MS', DOUBLE],
  ['ORDER_ID', DOUBLE],
  ['CUSTOMER_NAME', VARCHAR],
  ['CUSTOMER_CITY', VARCHAR],
  ['BRAND', VARCHAR],
  ['MODEL', VARCHAR],
  ['COLOR', VARCHAR],
  ['SIZE', VARCHAR],
  ['UNIT_PRICE', DOUBLE],
  ['TOTAL_AMOUNT', DOUBLE],
  ['QUANTITY', DOUBLE],
  ['KAFKA_PARTITION', DOUBLE],
  ['KAFKA_OFFSET', DOUBLE],
];

const DEAD_LETTER_STAGING: readonly [string, DuckDBType][] = [
  ['DEAD_LETTER_ID', VARCHAR],
  ['REASON', VARCHAR],
  ['RAW_VALUE', BLOB],
  ['SOURCE_TOPIC', VARCHAR],
  ['SOURCE_PARTITION', DOUBLE],
  ['SOURCE_OFFSET', DOUBLE],
  ['FAILED_AT_MS', DOUBLE],
];

const toTimestamp = (msColumn: string) => `make_timestamp(CAST(round(${msColumn} * 1000) AS BIGINT))`;

/**
 * The embedded warehouse: a DuckDB file with the same tables as Snowflake
 * (`RETAIL_LAB.STG.STREAMING_ORDERS`, `DEAD_LETTERS`, `CUSTOMERS`, `INVENTORY`,
 * `ORDERS`), created on first use.
 *
 * Each batch is loaded in one transaction: rows are appended column-wise into
 * a temporary staging table (DuckDB's appender, 2,048 rows per data chunk),
 * then moved with one `INSERT OR IGNORE … SELECT` (the first of equal EVENT_IDs wins, within a batch too), which
 * makes replays idempotent: loading a batch twice leaves one row per event.
 *
 * @example
 * ```ts
 * const warehouse = await DuckDbWarehouse.open({ path: './data/warehouse.duckdb' });
 * decoded$.pipe(batch(), load(warehouse)).subscribe();
 * const top = await warehouse.query('SELECT BRAND, COUNT(*) AS N FROM RETAIL_LAB.STG.STREAMING_ORDERS GROUP BY 1');
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
  ) {
    this.qualifiedSchema = `${quoteIdentifier(database)}.${quoteIdentifier(schema)}`;
  }

  /** Opens (creating if needed) the warehouse file and its tables. */
  static async open(options: DuckDbWarehouseOptions = {}): Promise<DuckDbWarehouse> {
    const path = options.path ?? './data/warehouse.duckdb';
    const database = options.database ?? DEFAULT_DATABASE;
    const schema = options.schema ?? DEFAULT_SCHEMA;
    if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
    const instance = await DuckDBInstance.create(':memory:', { memory_limit: options.memoryLimit ?? '256MB' });
    const connection = await instance.connect();
    const literal = path.replaceAll("'", "''");
    await connection.run(`ATTACH '${literal}' AS ${quoteIdentifier(database)}`);
    const warehouse = new DuckDbWarehouse(instance, connection, database, schema);
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
      for (const table of WAREHOUSE_TABLES) await this.connection.run(createTableSql(this.table(table.name), table));
      await this.connection.run(stagingSql('orders_staging', ORDER_STAGING));
      await this.connection.run(stagingSql('dead_letters_staging', DEAD_LETTER_STAGING));
    });
  }

  /** Loads a batch: valid events into STREAMING_ORDERS, dead letters into DEAD_LETTERS, in one transaction. */
  write(batch: readonly Decoded<OrderEvent>[]): Promise<void> {
    return this.exclusive(async () => {
      const orders: DuckDBValue[][] = [];
      const dead: DuckDBValue[][] = [];
      for (const item of batch) {
        if (item.ok) orders.push(streamingOrderRow(item));
        else {
          const [id, reason, raw, ...rest] = deadLetterRow(item);
          dead.push([id, reason, blobValue(raw), ...rest]);
        }
      }
      await this.connection.run('BEGIN TRANSACTION');
      try {
        if (orders.length > 0) {
          await this.stage('orders_staging', ORDER_STAGING, orders);
          await this.connection.run(insertOrdersSql(this.table(STREAMING_ORDERS.name)));
        }
        if (dead.length > 0) {
          await this.stage('dead_letters_staging', DEAD_LETTER_STAGING, dead);
          await this.connection.run(insertDeadLettersSql(this.table(DEAD_LETTERS.name)));
        }
        await this.connection.run('COMMIT');
      } catch (error) {
        await this.connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        await this.connection.run('DELETE FROM temp.orders_staging; DELETE FROM temp.dead_letters_staging');
      }
    });
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

  /** Appends rows column-wise into a staging table, one data chunk per 2,048 rows. */
  private async stage(table: string, columns: readonly [string, DuckDBType][], rows: DuckDBValue[][]): Promise<void> {
    const appender = await this.connection.createAppender(table, 'main', 'temp');
    try {
      const types = columns.map(([, type]) => type);
      for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
        const slice = rows.slice(start, start + CHUNK_ROWS);
        const chunk = DuckDBDataChunk.create(types, slice.length);
        chunk.setColumns(types.map((_, c) => slice.map((row) => row[c] ?? null)));
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  /** One statement at a time on the connection: DuckDB transactions must not interleave. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('warehouse is closed'));
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function stagingSql(name: string, columns: readonly [string, DuckDBType][]): string {
  return `CREATE TEMP TABLE IF NOT EXISTS ${name} (${columns.map(([n, t]) => `${quoteIdentifier(n)} ${t.toString()}`).join(', ')})`;
}

function insertOrdersSql(target: string): string {
  return `INSERT OR IGNORE INTO ${target}
    ("EVENT_ID", "EVENT_TYPE", "TIMESTAMP", "ORDER_ID", "CUSTOMER_NAME", "CUSTOMER_CITY", "BRAND", "MODEL", "COLOR",
     "SIZE", "UNIT_PRICE", "TOTAL_AMOUNT", "QUANTITY", "KAFKA_PARTITION", "KAFKA_OFFSET")
    SELECT "EVENT_ID", "EVENT_TYPE", ${toTimestamp('"TIMESTAMP_MS"')}, CAST("ORDER_ID" AS BIGINT),
      "CUSTOMER_NAME", "CUSTOMER_CITY", "BRAND", "MODEL", "COLOR", "SIZE", CAST("UNIT_PRICE" AS DECIMAL(10,2)),
      CAST("TOTAL_AMOUNT" AS DECIMAL(10,2)), CAST("QUANTITY" AS INTEGER), CAST("KAFKA_PARTITION" AS INTEGER),
      CAST("KAFKA_OFFSET" AS BIGINT)
    FROM temp.orders_staging`;
}

function insertDeadLettersSql(target: string): string {
  return `INSERT OR IGNORE INTO ${target}
    ("DEAD_LETTER_ID", "REASON", "RAW_VALUE", "SOURCE_TOPIC", "SOURCE_PARTITION", "SOURCE_OFFSET", "FAILED_AT")
    SELECT "DEAD_LETTER_ID", "REASON", "RAW_VALUE", "SOURCE_TOPIC",
      CAST("SOURCE_PARTITION" AS INTEGER), CAST("SOURCE_OFFSET" AS BIGINT), ${toTimestamp('"FAILED_AT_MS"')}
    FROM temp.dead_letters_staging`;
}
