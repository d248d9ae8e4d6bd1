import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DuckDBConnection, DuckDBInstance, type DuckDBPreparedStatement, type DuckDBValue } from '@duckdb/node-api';
import {
  LOAD_POSITIONS,
  PositionConflictError,
  SneakpipeError,
  type ColumnSpec,
  type ColumnType,
  loadedColumns,
  primaryKeyColumns,
  type PositionAdvance,
  type PositionConflict,
  type Row,
  type TableSpec,
} from '@sneakpipe/core';
import { ColumnChunkWriter, STAGING_TYPES } from './column-chunks.js';
import type { EncodedColumns } from './column-encoding.js';
import { appendAll } from './appender.js';
import { DUCKDB_TYPES, UTC_NOW_SQL, columnSql, createTableSql, quoteIdentifier } from './ddl.js';
import { mappingDuckdbErrors } from './errors.js';
import { migrateTable } from './migrate.js';

/** What {@link DuckDbEngine.open} needs: validated settings and the tables. */
export interface DuckDbEngineOptions {
  readonly path: string;
  /** The catalog name to attach the file as; `undefined`: the file's own (see `DuckDbSettingsSchema`). */
  readonly database?: string | undefined;
  readonly schema: string;
  readonly memoryLimit: string;
  readonly tables: readonly TableSpec[];
}

/** A table's rows, encoded (see `encodeColumns`), with the table as the rows have it (evolved tables have more columns). */
export interface EncodedTableRows {
  readonly table: TableSpec;
  readonly encoded: EncodedColumns;
}

/** How a table's rows of one column layout are loaded: through its staging table, or straight into it. */
interface LoadLayout {
  /** The columns' names, types and defaults, which the layout was made for. */
  readonly signature: string;
  /** Writes the staging table's chunks. */
  readonly staged: ColumnChunkWriter;
  /** Writes the table's own chunks, when appends go straight into it (its file has exactly these columns). */
  readonly direct: ColumnChunkWriter | undefined;
}

/** A load as the engine takes it: `WarehouseLoad` with its rows encoded. */
export interface EncodedLoad {
  readonly tables: readonly EncodedTableRows[];
  readonly group?: string | undefined;
  readonly positions?: readonly PositionAdvance[] | undefined;
}

/**
 * The DuckDB side of `DuckDbWarehouse`: the file, its tables and the
 * transactions, on whichever thread it is opened (its own, by default: see
 * `duckdb-thread.ts`). It takes rows already encoded as vectors' memory, so
 * what runs here is DuckDB's work, not the conversion of values.
 *
 * Each load is one transaction: the positions it advances are checked (compare
 * and set, in `LOAD_POSITIONS`) and rows are appended column-wise with
 * DuckDB's appender (data chunks of 2,048 rows): straight into append-only
 * tables, through a temporary staging table of the target's types for the
 * others (one `INSERT … SELECT`). No statement of a load reads a target table.
 */
export class DuckDbEngine {
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * The load's parameterized statements, prepared once: a `run` with values
   * extracts, prepares and runs, three trips to DuckDB's thread each time.
   */
  private readonly prepared = new Map<string, Promise<DuckDBPreparedStatement>>();
  /** Per table, how its rows are loaded, for the column layout of its last load (see `layoutOf`). */
  private readonly layouts = new Map<string, LoadLayout>();
  private readonly specs: ReadonlyMap<string, TableSpec>;
  private readonly qualifiedSchema: string;
  private closed = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    /** The catalog the tables are in: the name given, or the one DuckDB gave the file. */
    readonly database: string,
    private readonly schema: string,
    tables: readonly TableSpec[],
  ) {
    this.qualifiedSchema = `${quoteIdentifier(database)}.${quoteIdentifier(schema)}`;
    this.specs = new Map([...tables, LOAD_POSITIONS].map((t) => [t.name, t]));
  }

  /** Opens (creating if needed) the file and its tables; DuckDB's errors mapped (see `duckdbError`). */
  static open(options: DuckDbEngineOptions): Promise<DuckDbEngine> {
    return mappingDuckdbErrors(async () => {
      const { path, database, schema, memoryLimit } = options;
      if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
      // Without a catalog name the file is opened as DuckDB opens it (its catalog named after it); with one, it is
      // attached under that name to an in-memory database (the name is the attachment's, not the file's).
      const instance = await DuckDBInstance.create(database === undefined ? path : ':memory:', { memory_limit: memoryLimit });
      const connection = await instance.connect();
      if (database !== undefined) await connection.run(`ATTACH '${path.replaceAll("'", "''")}' AS ${quoteIdentifier(database)}`);
      const catalog = database ?? String((await connection.runAndReadAll('SELECT current_database()')).getRows()[0]![0]);
      const engine = new DuckDbEngine(instance, connection, catalog, schema, options.tables);
      await engine.init();
      return engine;
    });
  }

  private table(name: string): string {
    return `${this.qualifiedSchema}.${quoteIdentifier(name)}`;
  }

  async init(): Promise<void> {
    await this.exclusive(async () => {
      await this.connection.run(`CREATE SCHEMA IF NOT EXISTS ${this.qualifiedSchema}`);
      for (const table of this.specs.values()) {
        await migrateTable(this.connection, this.database, this.schema, table);
        await this.connection.run(createTableSql(this.table(table.name), table));
      }
    });
  }

  /** Appends the rows and advances the positions in one transaction. */
  append(load: EncodedLoad): Promise<void> {
    return this.exclusive(async () => {
      const layouts: LoadLayout[] = [];
      for (const { table } of load.tables) layouts.push(await this.layoutOf(table));
      await this.transaction(async () => {
        if (load.positions?.length) await this.checkPositions(load.group!, load.positions);
        for (const [i, { table, encoded }] of load.tables.entries()) await this.insertRows(table, layouts[i]!, encoded, 'INSERT');
        if (load.positions?.length) await this.storePositions(load.group!, load.positions);
      });
    });
  }

  /**
   * Adds the columns the table lacks (`ADD COLUMN IF NOT EXISTS`, nullable),
   * then returns it as stored: `table`'s columns, then the others with their
   * logical types (see `Warehouse.addColumns`).
   */
  addColumns(table: TableSpec, columns: readonly ColumnSpec[]): Promise<TableSpec> {
    return this.exclusive(async () => {
      const stored = await this.storedColumns(table.name);
      if (stored.length === 0) throw new SneakpipeError('OBJECT_NOT_FOUND', `no table ${this.table(table.name)}`, { retriable: false });
      // DuckDB's names are case-insensitive: a column "coupon_code" made by hand is COUPON_CODE.
      const known = new Set(stored.map((c) => c.name.toUpperCase()));
      const missing = columns.filter((c) => !known.has(c.name.toUpperCase()));
      // The file's layout changes: loads of this table choose their way again (even if an ALTER below fails part-way).
      if (missing.length > 0) this.layouts.delete(table.name);
      for (const column of missing) {
        await this.connection.run(
          `ALTER TABLE ${this.table(table.name)} ADD COLUMN IF NOT EXISTS ${columnSql({ ...column, nullable: true })}`,
        );
      }
      // Out of the log at once: DuckDB cannot replay an ALTER of a table with a function default (one made by hand).
      if (missing.length > 0) await this.connection.run('CHECKPOINT');
      const defined = new Set(table.columns.map((c) => c.name.toUpperCase()));
      const others = (missing.length > 0 ? await this.storedColumns(table.name) : stored).flatMap(({ name, type }) => {
        const logical = LOGICAL_TYPES.get(type);
        return defined.has(name.toUpperCase()) || !logical ? [] : [{ name, type: logical, nullable: true }];
      });
      return { ...table, columns: [...table.columns, ...others] };
    });
  }

  async positions(group: string, topic: string): Promise<Map<number, number>> {
    const rows = await this.query<{ PARTITION: number; NEXT_OFFSET: bigint }>(
      `SELECT "PARTITION", NEXT_OFFSET FROM ${this.table(LOAD_POSITIONS.name)} WHERE CONSUMER_GROUP = ? AND TOPIC = ?`,
      [group, topic],
    );
    return new Map(rows.map((r) => [Number(r.PARTITION), Number(r.NEXT_OFFSET)]));
  }

  insertIfAbsent(table: TableSpec, encoded: EncodedColumns): Promise<void> {
    return this.exclusive(async () => {
      const layout = await this.layoutOf(table);
      await this.transaction(() => this.insertRows(table, layout, encoded, 'INSERT OR IGNORE'));
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
    for (const statement of this.prepared.values()) (await statement.catch(() => undefined))?.destroySync();
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
    const reader = await this.runPrepared(
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
   * Inside the load's transaction: the positions after it, one statement (a
   * row per partition). `UPDATED_AT` is set here, in UTC, not left to its
   * default: `INSERT OR REPLACE` keeps a replaced row's values of the columns
   * it does not name, so the time would stay the partition's first load's.
   */
  private async storePositions(group: string, advances: readonly PositionAdvance[]): Promise<void> {
    const loaded = loadedColumns(LOAD_POSITIONS);
    const loadTime = loadTimeColumns(LOAD_POSITIONS);
    const columns = [...loaded, ...loadTime].map((c) => quoteIdentifier(c.name));
    const row = `(${[...loaded.map(() => '?'), ...loadTime.map(() => UTC_NOW_SQL)].join(', ')})`;
    await this.runPrepared(
      `INSERT OR REPLACE INTO ${this.table(LOAD_POSITIONS.name)} (${columns.join(', ')}) VALUES ${advances.map(() => row).join(', ')}`,
      advances.flatMap((a) => [group, a.topic, a.partition, BigInt(a.to)]),
    );
  }

  /** Runs a statement prepared once per text (see `prepared`), with these values; its rows read. */
  private async runPrepared(sql: string, values: DuckDBValue[]) {
    let statement = this.prepared.get(sql);
    if (!statement) {
      statement = this.connection.prepare(sql);
      this.prepared.set(sql, statement);
      statement.catch(() => this.prepared.delete(sql));
    }
    const prepared = await statement;
    prepared.bind(values);
    return prepared.runAndReadAll();
  }

  /**
   * How rows of this column layout go into the table, made on its first load
   * (and again when the layout changes: an evolved table's loads have more
   * columns): the table's temporary staging table of these columns, and,
   * for an append-only table whose file has exactly these columns, appends
   * straight into it (`appendDirect`). Runs outside any load's transaction,
   * so a rolled-back load cannot drop the staging table.
   */
  private async layoutOf(table: TableSpec): Promise<LoadLayout> {
    const signature = table.columns.map((c) => `${c.name} ${c.type} ${c.default ?? ''}`).join(',');
    const known = this.layouts.get(table.name);
    if (known?.signature === signature) return known;
    await this.connection.run(`DROP TABLE IF EXISTS temp.${stagingName(table)}`);
    await this.connection.run(createStagingSql(table));
    const loadTimeOnly = table.columns.every((c) => c.default !== 'now' || c.type === 'timestamp');
    const direct =
      primaryKeyColumns(table).length === 0 && loadTimeOnly && (await this.hasSpecLayout(table))
        ? new ColumnChunkWriter(table.columns.map((c) => ({ type: c.type, constant: c.default === 'now' })))
        : undefined;
    const layout = { signature, staged: new ColumnChunkWriter(loadedColumns(table).map((c) => c.type)), direct };
    this.layouts.set(table.name, layout);
    return layout;
  }

  /**
   * Appends rows column-wise, the layout's way: straight into the table, or
   * into its staging table, then moved with one statement: `INSERT`
   * (append-only tables) or `INSERT OR IGNORE` (keyed reference data).
   */
  private async insertRows(table: TableSpec, layout: LoadLayout, encoded: EncodedColumns, insert: InsertVerb): Promise<void> {
    if (encoded.count === 0) return;
    await this.checkJson(encoded);
    if (layout.direct && insert === 'INSERT') return this.appendDirect(table, encoded, layout.direct);
    await this.connection.run(`DELETE FROM temp.${stagingName(table)}`);
    appendAll(await this.connection.createAppender(`${table.name}_STAGE`, 'main', 'temp'), (appender) =>
      layout.staged.append(appender, encoded),
    );
    await this.connection.run(insertFromStagingSql(insert, this.table(table.name), table));
  }

  /**
   * Appends rows straight into an append-only table, inside the load's
   * transaction (DuckDB's appender joins it: a rollback removes them), with no
   * staging copy: the load-time columns get the transaction's start time in
   * UTC (see `UTC_NOW_SQL`), as the staged path gives them.
   */
  private async appendDirect(table: TableSpec, encoded: EncodedColumns, writer: ColumnChunkWriter): Promise<void> {
    const now = await this.connection.runAndReadAll(`SELECT epoch_us(${UTC_NOW_SQL})`);
    const micros = Number(now.getRows()[0]![0]);
    appendAll(await this.connection.createAppender(table.name, this.schema, this.database), (appender) =>
      writer.append(appender, encoded, micros),
    );
  }

  /** Refuses JSON text that DuckDB's cast to JSON refuses, of the text `JSON.parse` refused when it was encoded. */
  private async checkJson(encoded: EncodedColumns): Promise<void> {
    for (const column of encoded.columns) {
      for (const text of column.jsonToCheck ?? []) await this.connection.run('SELECT CAST(?::VARCHAR AS JSON)', [text]);
    }
  }

  /** Whether the table in the file has the spec's columns, in order and of its types (a migrated or evolved file may not). */
  private async hasSpecLayout(table: TableSpec): Promise<boolean> {
    const found = (await this.storedColumns(table.name)).map(({ name, type }) => `${name} ${type}`);
    const spec = table.columns.map((c) => `${c.name} ${DUCKDB_TYPES[c.type]}`);
    return found.length === spec.length && found.every((f, i) => f === spec[i]);
  }

  /** The table's columns in the file, in order, with their DuckDB types; none when there is no such table. */
  private async storedColumns(table: string): Promise<{ name: string; type: string }[]> {
    const reader = await this.connection.runAndReadAll(
      'SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = ? AND schema_name = ? AND table_name = ? ORDER BY column_index',
      [this.database, this.schema, table],
    );
    return reader.getRows().map(([name, type]) => ({ name: String(name), type: String(type) }));
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

type InsertVerb = 'INSERT' | 'INSERT OR IGNORE';

/** The logical type each DuckDB type of `DUCKDB_TYPES` stands for. */
const LOGICAL_TYPES: ReadonlyMap<string, ColumnType> = new Map(
  Object.entries(DUCKDB_TYPES).map(([logical, duckdb]) => [duckdb, logical as ColumnType]),
);

const stagingName = (table: TableSpec) => quoteIdentifier(`${table.name}_STAGE`);

function createStagingSql(table: TableSpec): string {
  const columns = loadedColumns(table).map((c) => `${quoteIdentifier(c.name)} ${STAGING_TYPES[c.type].toString()}`);
  return `CREATE TEMP TABLE IF NOT EXISTS ${stagingName(table)} (${columns.join(', ')})`;
}

/** The columns the warehouse fills with the load time. */
const loadTimeColumns = (table: TableSpec) => table.columns.filter((c) => c.default === 'now');

/**
 * One statement from staging into the target; `INSERT OR IGNORE`: the first
 * row of each key wins. The load-time columns are set here, in UTC (the
 * transaction's start, as on the direct path), not left to whatever default
 * the file declares.
 */
function insertFromStagingSql(insert: InsertVerb, target: string, table: TableSpec): string {
  const columns = loadedColumns(table);
  const loadTime = loadTimeColumns(table);
  const names = [...columns, ...loadTime].map((c) => quoteIdentifier(c.name));
  // Staged in the target's types; JSON text is parsed (and so checked) here.
  const values = columns.map((c) => (c.type === 'json' ? `CAST(${quoteIdentifier(c.name)} AS JSON)` : quoteIdentifier(c.name)));
  values.push(...loadTime.map(() => UTC_NOW_SQL));
  return `${insert} INTO ${target} (${names.join(', ')}) SELECT ${values.join(', ')} FROM temp.${stagingName(table)}`;
}
