import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  checkRowWidths,
  loadedColumns,
  parseConfig,
  type ColumnSpec,
  type Row,
  type TableSpec,
  type Warehouse,
  type WarehouseLoad,
  type WarehouseRow,
} from '@sneakpipe/core';
import { encodeColumns, encodedBuffers, type EncodedColumns } from './column-encoding.js';
import { DuckDbSettingsSchema, type DuckDbSettings } from './config.js';
import { DuckDbEngine } from './duckdb-engine.js';
import { quoteIdentifier } from './ddl.js';
import { localLink, threadLink, type EngineLink } from './engine-link.js';

/**
 * The entry of DuckDB's thread. Built, it is the .js file next to this one. Run from the TypeScript sources (the
 * repository's tests), it is the package's build of it: a worker thread loads modules with Node's own loader, which
 * resolves neither the sources' `.js` imports to `.ts` files nor `@sneakpipe/core` to its sources, so the sources'
 * entry cannot run there, and the tests (`npm test` builds first) would otherwise take a path users never take.
 */
const DUCKDB_THREAD = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/duckdb/duckdb-thread.js', import.meta.url)
  : new URL('./duckdb-thread.js', import.meta.url);
// Without it (a bundle that left it out, sources never built), DuckDB stays on this thread: see `onOwnThread`.
const threadBuilt = existsSync(fileURLToPath(DUCKDB_THREAD));

/** What {@link DuckDbWarehouse.open} takes besides its settings: the tables, and where DuckDB runs. */
export interface DuckDbWarehouseOptions {
  /**
   * The tables to create and load (besides `LOAD_POSITIONS`, which the
   * warehouse adds itself): the application's, e.g. `WAREHOUSE_TABLES` of
   * `@sneakpipe/sneakers`. The connector knows no tables of its own.
   */
  tables: readonly TableSpec[];
  /**
   * Run DuckDB on a thread of its own (default: yes, when its entry script
   * `duckdb-thread.js` is there, as in every build), so loads and the
   * JavaScript that feeds them run at the same time on two cores. Rows are
   * encoded into vectors' memory on the calling thread and moved there
   * without a copy. A URL names another entry script (`duckdb-thread.js` of
   * a build). `true` never falls back: opening fails if the entry is missing.
   */
  thread?: boolean | URL;
}

/**
 * The embedded warehouse: a DuckDB file with the tables it is given, created
 * on first use: by default in the file's own catalog and its `main` schema,
 * as DuckDB names them (`database` and `schema` choose others, e.g. the
 * layout of a Snowflake account).
 *
 * DuckDB runs on a thread of its own: a load's rows are encoded here, column
 * by column, into the memory layout of DuckDB's vectors (numbers as their
 * fixed-width values, strings as `string_t`, short ones inline), and moved to
 * that thread, where each load is one transaction: the positions it advances
 * are checked (compare and set, in `LOAD_POSITIONS`) and the rows appended
 * with DuckDB's appender (data chunks of 2,048 rows), straight into
 * append-only tables, through a temporary staging table for the others. Target
 * tables are append-only: no key index, and no statement of a load reads
 * them. A file written by 0.1.0 (keyed tables) is migrated on open.
 *
 * @example
 * ```ts
 * import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
 * import { column, type TableSpec } from '@sneakpipe/core';
 *
 * const ORDERS: TableSpec = {
 *   name: 'ORDERS',
 *   description: 'One row per order.',
 *   columns: [column('ORDER_ID', 'text'), column('BRAND', 'text'), column('LOADED_AT', 'timestamp', { default: 'now' })],
 * };
 * const warehouse = await DuckDbWarehouse.open({ path: './data/warehouse.duckdb' }, { tables: [ORDERS] });
 * await warehouse.append({ tables: [{ table: ORDERS, rows: [['o-1', 'Nike']] }] }); // LOADED_AT: the load time, UTC
 * // "warehouse"."main"."ORDERS": the file's own catalog and schema, as `duckdb warehouse.duckdb` shows them.
 * const top = await warehouse.query(`SELECT BRAND, COUNT(*) AS N FROM ${warehouse.table('ORDERS')} GROUP BY 1`);
 * await warehouse.close();
 * ```
 */
export class DuckDbWarehouse implements Warehouse {
  /** The catalog and schema of the tables, quoted: `"warehouse"."main"` for `warehouse.duckdb` by default. */
  readonly qualifiedSchema: string;
  private closed = false;

  private constructor(
    private readonly link: EngineLink,
    schema: string,
  ) {
    this.qualifiedSchema = `${quoteIdentifier(link.database)}.${quoteIdentifier(schema)}`;
  }

  /**
   * Opens (creating if needed) the warehouse file and its tables. Rejects with
   * a `ConfigError` naming a bad setting, and with DuckDB's errors mapped into
   * sneakpipe's model (see `duckdbError`), e.g. `WAREHOUSE_LOCKED` while
   * another process holds the file.
   */
  static async open(config: DuckDbSettings, options: DuckDbWarehouseOptions): Promise<DuckDbWarehouse> {
    const { path, database, schema, memoryLimit } = parseConfig(DuckDbSettingsSchema, config, 'DuckDB');
    const engineOptions = { path, database, schema, memoryLimit, tables: options.tables };
    const thread = options.thread ?? threadBuilt;
    const link = thread
      ? await threadLink(thread instanceof URL ? thread : DUCKDB_THREAD, engineOptions)
      : localLink(await DuckDbEngine.open(engineOptions));
    return new DuckDbWarehouse(link, schema);
  }

  /** Whether DuckDB runs on a thread of its own (see the `thread` option), or on the calling thread. */
  get onOwnThread(): boolean {
    return this.link.ownThread;
  }

  /** The fully qualified, quoted name of a table. */
  table(name: string): string {
    return `${this.qualifiedSchema}.${quoteIdentifier(name)}`;
  }

  init(): Promise<void> {
    return this.call('init', []);
  }

  /** Appends the rows and advances the positions in one transaction (see the class comment). */
  async append(load: WarehouseLoad): Promise<void> {
    const tables = load.tables.filter((t) => t.rows.length > 0).map(({ table, rows }) => ({ table, encoded: encode(table, rows) }));
    const transfer = tables.flatMap((t) => encodedBuffers(t.encoded));
    return this.call('append', [{ tables, group: load.group, positions: load.positions }], transfer);
  }

  positions(group: string, topic: string): Promise<ReadonlyMap<number, number>> {
    return this.call('positions', [group, topic]);
  }

  async insertIfAbsent(table: TableSpec, rows: readonly WarehouseRow[]): Promise<void> {
    if (rows.length === 0) return;
    const encoded = encode(table, rows);
    return this.call('insertIfAbsent', [table, encoded], encodedBuffers(encoded));
  }

  /**
   * Adds the columns the table lacks (`ADD COLUMN IF NOT EXISTS`, nullable)
   * and returns the table as the file has it: its columns, then the others
   * (see `Warehouse.addColumns`). Loads of the returned table go straight
   * into the file, as loads of the defined one did.
   */
  addColumns(table: TableSpec, columns: readonly ColumnSpec[]): Promise<TableSpec> {
    return this.call('addColumns', [table, columns]);
  }

  query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return this.call('query', [sql, params]) as Promise<R[]>;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.link.call('close', []);
    } finally {
      await this.link.end();
    }
  }

  private call<K extends Parameters<EngineLink['call']>[0]>(op: K, args: Parameters<DuckDbEngine[K]>, transfer?: ArrayBuffer[]) {
    if (this.closed) return Promise.reject(new Error('warehouse is closed'));
    return this.link.call(op, args, transfer);
  }
}

/** A table's rows as the engine takes them: the loaded columns' values, encoded (a row of the wrong width refused first). */
function encode(table: TableSpec, rows: readonly WarehouseRow[]): EncodedColumns {
  checkRowWidths(table, rows);
  return encodeColumns(
    loadedColumns(table).map((c) => c.type),
    rows,
  );
}
