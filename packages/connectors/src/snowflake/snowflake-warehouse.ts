import { readFile } from 'node:fs/promises';
import type snowflake from 'snowflake-sdk';
import {
  ConfigError,
  LOAD_POSITIONS,
  PositionConflictError,
  SneakpipeError,
  parseConfig,
  loadedColumns,
  primaryKeyColumns,
  type ColumnType,
  type PositionAdvance,
  type Row,
  type TableSpec,
  type Warehouse,
  type WarehouseLoad,
  type WarehouseRow,
} from '@sneakpipe/core';
import { checkRowWidths } from '@sneakpipe/core/internal';
import { mappingSnowflakeErrors, snowflakeError } from './errors.js';
import { loadSnowflakeSdk } from './load-driver.js';
import { SnowflakeConnectionSchema, authenticationOf, type SnowflakeConnection, type SnowflakeConnectionConfig } from './config.js';
import {
  addColumnSql,
  NONE_STORED,
  POSITION_ADVANCES,
  advancePositionsSql,
  appendFromStagingSql,
  insertFirstPositionsSql,
  ensurePositionsLockSql,
  lockPositionsSql,
  columnsOfSchemaSql,
  createDatabaseSql,
  createSchemaSql,
  createStagingTableSql,
  createTableSql,
  dropPrimaryKeySql,
  insertStagingSql,
  mergeSql,
  qualifiedName,
  selectPositionsSql,
  showDatabasesSql,
  showSchemasSql,
  timestampText,
  truncateStagingSql,
} from './sql.js';

type Bind = string | number | null;
type SnowflakeConn = snowflake.Connection;

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
 * Runs the position statements of a load, reporting a write conflict (SQLSTATE
 * 40001: another transaction changed the same position rows; the emulator's
 * DuckDB refuses at once where Snowflake would make it wait) as the
 * {@link PositionConflictError} it is: the writer reads the positions again.
 */
async function asPositionConflict(advances: readonly PositionAdvance[], work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if ((error as { sqlState?: string }).sqlState !== '40001') throw error;
    throw new PositionConflictError(advances.map((a) => ({ topic: a.topic, partition: a.partition, expected: a.from, stored: null })));
  }
}

/**
 * One login, then logout, outside the pool: before the pool is made, and
 * again when the pool fails to make a connection. The pool's connections
 * reject with a new error that keeps only the driver's message, so a refused
 * login (AUTH_FAILED, which stops the process) and an unreachable host
 * (WAREHOUSE_UNAVAILABLE, retried) could not be told apart through it.
 */
function loginOnce(sdk: typeof snowflake, options: snowflake.ConnectionOptions): Promise<void> {
  const connection = sdk.createConnection(options);
  return new Promise((resolve, reject) => connection.connect((error) => (error ? reject(error) : connection.destroy(() => resolve()))));
}

/**
 * The Snowflake warehouse: the same `Warehouse` contract as DuckDB, on a
 * pooled `snowflake-sdk` connection.
 *
 * A load first stages each table's rows in one round trip of data — a
 * multi-row INSERT with array binds into a session-private temporary staging
 * table, the load's positions included — then runs one explicit transaction:
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
 */
export class SnowflakeWarehouse implements Warehouse {
  /** Staging tables already created, per session (temporary tables live as long as their session). */
  private readonly staged = new WeakMap<SnowflakeConn, Set<string>>();

  private readonly tables: readonly TableSpec[];

  /** The errors with which the pool failed to make a connection (only their message is kept: see {@link use}). */
  private readonly connectFailures = new WeakSet<Error>();
  /** The login outside the pool that diagnoses one of them; shared by every request that failed with it. */
  private diagnosis: Promise<void> | undefined;

  private constructor(
    private readonly pool: snowflake.Pool<SnowflakeConn>,
    /** A login outside the pool, to learn why the pool's own login failed (see {@link use}). */
    private readonly login: () => Promise<void>,
    readonly config: SnowflakeConnectionConfig,
    private readonly options: SnowflakeWarehouseOptions,
  ) {
    this.tables = options.tables;
    // The driver rejects every waiting request with this same error object.
    pool.on('factoryCreateError', (error: unknown) => {
      if (error instanceof Error) this.connectFailures.add(error);
    });
  }

  /**
   * Connects (validating the settings first) and creates the database objects.
   * Rejects with a `ConfigError` naming a bad setting, and with the driver's
   * errors mapped into sneakpipe's model (see `snowflakeError`).
   */
  static async open(connection: SnowflakeConnection, warehouseOptions: SnowflakeWarehouseOptions): Promise<SnowflakeWarehouse> {
    const config = parseConfig(SnowflakeConnectionSchema, connection, 'Snowflake');
    const options: snowflake.ConnectionOptions = {
      account: config.account,
      username: config.username,
      database: config.database,
      schema: config.schema,
      ...(config.warehouse ? { warehouse: config.warehouse } : {}),
      ...(config.role ? { role: config.role } : {}),
      ...(config.host ? { accessUrl: `${config.protocol}://${config.host}${config.port ? `:${config.port}` : ''}` } : {}),
      ...(config.arrayBindingThreshold ? { arrayBindingThreshold: config.arrayBindingThreshold } : {}),
      ...(await authentication(config)),
      application: 'sneakpipe',
      clientSessionKeepAlive: true,
      // The driver retries a failed login for up to 5 minutes, silently: an unreachable host looked like a hang.
      // Each attempt fails at once instead, and sneakpipe's own retries (a load's, `retryUntil` at start-up) log it.
      sfRetryMaxLoginRetries: 0,
    } as snowflake.ConnectionOptions;
    const sdk = await loadSnowflakeSdk();
    const login = () => mappingSnowflakeErrors(() => loginOnce(sdk, options));
    await login();
    const pool = sdk.createPool(options, { max: config.poolSize, min: 0, evictionRunIntervalMillis: 60_000 });
    const warehouse = new SnowflakeWarehouse(pool, login, config, warehouseOptions);
    try {
      await warehouse.init();
    } catch (error) {
      // The pool's eviction timer would keep the process alive after a failed open.
      await warehouse.close().catch(() => undefined);
      throw error;
    }
    return warehouse;
  }

  /**
   * Creates what is missing, and only that: the database, the schema and each table are looked up first (SHOW and
   * INFORMATION_SCHEMA, which list what the role can see) and created only when absent. Snowflake checks the create
   * privilege even for `CREATE … IF NOT EXISTS` on an object that exists, so a role that may only use an existing
   * schema and its tables starts without any CREATE. Tables created by an older version get the columns they lack.
   */
  async init(): Promise<void> {
    const { database, schema } = this.config;
    await this.use(async (conn) => {
      if (!(await this.exists(conn, showDatabasesSql(database), database))) {
        await this.create(conn, `database ${database}`, createDatabaseSql(database));
      }
      if (!(await this.exists(conn, showSchemasSql(database, schema), schema))) {
        await this.create(conn, `schema ${database}.${schema}`, createSchemaSql(database, schema));
      }
      const columns = new Map<string, Set<string>>();
      for (const row of await this.execute(conn, columnsOfSchemaSql(database), [schema.toUpperCase()])) {
        const table = String(row.TABLE_NAME);
        if (!columns.has(table)) columns.set(table, new Set());
        columns.get(table)!.add(String(row.COLUMN_NAME));
      }
      let upgraded = false;
      for (const table of [...this.tables, LOAD_POSITIONS]) {
        const existing = columns.get(table.name);
        if (!existing) {
          await this.create(conn, `table ${this.table(table.name)}`, createTableSql(database, schema, table));
          continue;
        }
        // Tables created by an older version lack columns.
        const missing = table.columns.filter((c) => !existing.has(c.name));
        for (const column of missing) await this.execute(conn, addColumnSql(database, schema, table, column));
        upgraded = missing.length > 0 || upgraded;
      }
      // Tables created by 0.1.0 (they lacked columns) had keys on the tables that are append-only now. Snowflake
      // does not enforce keys, but the emulator (DuckDB) and other tools do; a key that cannot be dropped is left.
      if (upgraded) {
        for (const table of this.tables.filter((t) => primaryKeyColumns(t).length === 0)) {
          await this.execute(conn, dropPrimaryKeySql(database, schema, table)).catch(() => undefined);
        }
      }
    });
  }

  /** True when a SHOW statement lists an object named `name` (upper-cased, as quoted identifiers are stored). */
  private async exists(conn: SnowflakeConn, showSql: string, name: string): Promise<boolean> {
    const rows = await this.execute(conn, showSql);
    return rows.some((r) => r.name === name.toUpperCase());
  }

  /** Runs a CREATE; if it fails (typically: the role may not create it), says what was missing and what to do. */
  private async create(conn: SnowflakeConn, what: string, sqlText: string): Promise<void> {
    try {
      await this.execute(conn, sqlText);
    } catch (error) {
      const role = this.config.role ? `role ${this.config.role}` : "the user's default role";
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

  /** Stages the rows, then appends them and advances the positions in one transaction (see the class comment). */
  async append(load: WarehouseLoad): Promise<void> {
    const { database, schema } = this.config;
    const tables = load.tables.filter((t) => t.rows.length > 0);
    // Refused before anything is sent: a short row would bind nulls where its values are missing.
    for (const { table, rows } of tables) checkRowWidths(table, rows);
    const advances = load.positions ?? [];
    await this.use(async (conn) => {
      // Staging tables are created outside the transaction: DDL commits implicitly in Snowflake.
      for (const { table, rows } of tables) await this.stage(conn, table, rows);
      if (advances.length > 0)
        await this.stage(
          conn,
          POSITION_ADVANCES,
          advances.map((a) => [load.group!, a.topic, a.partition, a.from ?? NONE_STORED, a.to]),
        );
      const first = advances.filter((a) => a.from === null);
      if (first.length > 0) await this.execute(conn, ensurePositionsLockSql(database, schema), [load.group!, load.group!]);
      await this.execute(conn, 'BEGIN TRANSACTION');
      try {
        await asPositionConflict(advances, async () => {
          if (first.length > 0) await this.execute(conn, lockPositionsSql(database, schema), [load.group!]);
          if (advances.length > 0) await this.advance(conn, load.group!, advances);
        });
        for (const { table } of tables) await this.execute(conn, appendFromStagingSql(database, schema, table));
        await this.execute(conn, 'COMMIT');
      } catch (error) {
        await this.execute(conn, 'ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  async positions(group: string, topic: string): Promise<ReadonlyMap<number, number>> {
    const rows = await this.use((conn) => this.execute(conn, selectPositionsSql(this.config.database, this.config.schema), [group]));
    return new Map(rows.filter((r) => r.TOPIC === topic).map((r) => [Number(r.PARTITION), Number(r.NEXT_OFFSET)]));
  }

  async upsert(table: TableSpec, rows: readonly WarehouseRow[]): Promise<void> {
    if (rows.length === 0) return;
    checkRowWidths(table, rows);
    await this.use(async (conn) => {
      await this.stage(conn, table, rows);
      await this.execute(conn, mergeSql(this.config.database, this.config.schema, table));
    });
  }

  table(name: string): string {
    return qualifiedName(this.config.database, this.config.schema, name);
  }

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return this.use(async (conn) => (await this.execute(conn, sql, params as Bind[])).map(plainRow) as R[]);
  }

  async close(): Promise<void> {
    await this.pool.drain();
    await this.pool.clear();
  }

  /**
   * A pooled connection for `work`; the driver's errors come out mapped into sneakpipe's model ({@link snowflakeError}).
   * When the pool could not make a connection for a reason it does not tell (its login errors keep only the
   * message), one login outside the pool tells it: a password rotated under a running consumer is then
   * AUTH_FAILED, which stops the process, not a bare error retried for ever.
   */
  private async use<T>(work: (conn: SnowflakeConn) => Promise<T>): Promise<T> {
    try {
      return await mappingSnowflakeErrors(() => this.pool.use(work));
    } catch (error) {
      if (error instanceof Error && this.connectFailures.has(error)) {
        this.diagnosis ??= this.login().finally(() => (this.diagnosis = undefined));
        // A refused login rejects with its own mapped error (AUTH_FAILED); a login that works leaves the pool's error as it was.
        await this.diagnosis;
      }
      throw error;
    }
  }

  /** Inside the load's transaction: compare-and-set of every position, or a conflict listing the positions found. */
  private async advance(conn: SnowflakeConn, group: string, advances: readonly PositionAdvance[]): Promise<void> {
    const { database, schema } = this.config;
    const changed = async (sqlText: string) =>
      Object.entries((await this.execute(conn, sqlText))[0] ?? {})
        .filter(([k]) => /^number of rows (inserted|updated)$/i.test(k))
        .reduce((n, [, v]) => n + Number(v), 0);
    const moved = (await changed(advancePositionsSql(database, schema))) + (await changed(insertFirstPositionsSql(database, schema)));
    if (moved === advances.length) return;
    const stored = new Map(
      (await this.execute(conn, selectPositionsSql(database, schema), [group])).map((r) => [
        `${r.PARTITION}/${r.TOPIC}`,
        Number(r.NEXT_OFFSET),
      ]),
    );
    throw new PositionConflictError(
      advances
        .map((a) => ({ topic: a.topic, partition: a.partition, expected: a.from, stored: stored.get(`${a.partition}/${a.topic}`) ?? null }))
        .filter((c) => c.stored !== c.expected),
    );
  }

  /** Rows into the session's temporary staging table of `table`, emptied first. */
  private async stage(conn: SnowflakeConn, table: TableSpec, rows: readonly WarehouseRow[]): Promise<void> {
    let tables = this.staged.get(conn);
    if (!tables) this.staged.set(conn, (tables = new Set()));
    if (!tables.has(table.name)) {
      await this.execute(conn, createStagingTableSql(table));
      tables.add(table.name);
    }
    // A failed earlier attempt on this session may have left rows behind.
    await this.execute(conn, truncateStagingSql(table));
    const types = loadedColumns(table).map((c) => c.type);
    await this.execute(
      conn,
      insertStagingSql(table),
      rows.map((row) => row.map((v, i) => toBind(v, types[i]!))),
    );
  }

  private execute(conn: SnowflakeConn, sqlText: string, binds?: Bind[] | Bind[][]): Promise<Row[]> {
    this.options.onStatement?.(sqlText);
    return execute(conn, sqlText, binds);
  }
}

async function authentication(config: SnowflakeConnectionConfig): Promise<Partial<snowflake.ConnectionOptions>> {
  if (authenticationOf(config) === 'password') return { password: config.password };
  const privateKey =
    config.privateKey ??
    (await readFile(config.privateKeyPath!, 'utf8').catch((error: unknown) => {
      // A key file that cannot be read is a setting to fix, not a passing failure.
      throw new ConfigError(`cannot read the Snowflake private key file ${config.privateKeyPath}: ${(error as Error).message}`, {
        cause: error,
      });
    }));
  return {
    authenticator: 'SNOWFLAKE_JWT',
    privateKey,
    ...(config.privateKeyPassphrase ? { privateKeyPass: config.privateKeyPassphrase } : {}),
  } as Partial<snowflake.ConnectionOptions>;
}

/** Timestamps travel as UTC text, bytes as hex (array binds carry text and numbers). */
function toBind(value: WarehouseRow[number], type: ColumnType): Bind {
  if (value === null) return null;
  if (type === 'timestamp') return timestampText(value as number);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return value;
}

function execute(conn: SnowflakeConn, sqlText: string, binds?: Bind[] | Bind[][]): Promise<Row[]> {
  return new Promise((resolve, reject) => {
    conn.execute({
      sqlText,
      ...(binds && binds.length > 0 ? { binds: binds as snowflake.Binds } : {}),
      complete: (error, _statement, rows) => (error ? reject(error) : resolve((rows ?? []) as Row[])),
    });
  });
}

/** Driver values as plain JavaScript: timestamps as `Date`, the rest as they are. */
function plainRow(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = v instanceof Date ? new Date(v.getTime()) : v;
  }
  return out;
}
