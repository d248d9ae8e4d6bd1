import './quiet-aws-sdk.js';
import { readFile } from 'node:fs/promises';
import snowflake from 'snowflake-sdk';
import {
  DEAD_LETTERS,
  STREAMING_ORDERS,
  WAREHOUSE_TABLES,
  deadLetterRow,
  loadedColumns,
  streamingOrderRow,
  type ColumnType,
  type Decoded,
  type OrderEvent,
  type Row,
  type TableSpec,
  type Warehouse,
  type WarehouseRow,
} from '@sneakpipe/core';
import { SnowflakeConnectionSchema, type SnowflakeConnection, type SnowflakeConnectionConfig } from './config.js';
import {
  createDatabaseSql,
  createSchemaSql,
  createStagingTableSql,
  createTableSql,
  insertStagingSql,
  mergeSql,
  qualifiedName,
  timestampText,
  truncateStagingSql,
} from './sql.js';

type Bind = string | number | null;
type SnowflakeConn = snowflake.Connection;

// The driver writes `snowflake.log` into the working directory by default. Its
// errors reach us as rejected calls anyway, so its own log goes nowhere.
const silent = () => undefined;
snowflake.configure({
  logLevel: 'ERROR',
  additionalLogToConsole: false,
  customLogger: { error: silent, warn: silent, info: silent, debug: silent, trace: silent },
} as snowflake.ConfigureOptions);

/**
 * The Snowflake warehouse: the same `Warehouse` contract as DuckDB, on a
 * pooled `snowflake-sdk` connection.
 *
 * A batch loads in one round trip of data — a multi-row INSERT with array binds
 * into a session-private temporary staging table — then one MERGE on EVENT_ID
 * moves the new rows into STREAMING_ORDERS (dead letters likewise into
 * DEAD_LETTERS). Replaying a batch adds nothing. Each MERGE is atomic on its
 * own; no explicit transaction spans the two tables because both steps are
 * idempotent: a retry after a failure between them completes the batch.
 * Concurrent consumers are safe: Snowflake serialises DML on a table, so two
 * MERGEs of the same EVENT_ID cannot both insert it.
 *
 * Large batches: above `CLIENT_STAGE_ARRAY_BINDING_THRESHOLD` bound values the
 * driver itself uploads the array bind to a stage (PUT + COPY), so there is no
 * second code path to maintain here.
 */
export class SnowflakeWarehouse implements Warehouse {
  /** Staging tables already created, per session (temporary tables live as long as their session). */
  private readonly staged = new WeakMap<SnowflakeConn, Set<string>>();

  private constructor(
    private readonly pool: snowflake.Pool<SnowflakeConn>,
    readonly config: SnowflakeConnectionConfig,
  ) {}

  /** Connects (validating the settings first) and creates the database objects. */
  static async open(connection: SnowflakeConnection): Promise<SnowflakeWarehouse> {
    const config = SnowflakeConnectionSchema.parse(connection);
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
    } as snowflake.ConnectionOptions;
    const pool = snowflake.createPool(options, { max: config.poolSize, min: 0, evictionRunIntervalMillis: 60_000 });
    const warehouse = new SnowflakeWarehouse(pool, config);
    await warehouse.init();
    return warehouse;
  }

  async init(): Promise<void> {
    const { database, schema } = this.config;
    await this.pool.use(async (conn) => {
      await execute(conn, createDatabaseSql(database));
      await execute(conn, createSchemaSql(database, schema));
      for (const table of WAREHOUSE_TABLES) await execute(conn, createTableSql(database, schema, table));
    });
  }

  async write(batch: readonly Decoded<OrderEvent>[]): Promise<void> {
    const orders: WarehouseRow[] = [];
    const dead: WarehouseRow[] = [];
    for (const item of batch) item.ok ? orders.push(streamingOrderRow(item)) : dead.push(deadLetterRow(item));
    await this.pool.use(async (conn) => {
      await this.mergeRows(conn, STREAMING_ORDERS, orders);
      await this.mergeRows(conn, DEAD_LETTERS, dead);
    });
  }

  async upsert(table: TableSpec, rows: readonly WarehouseRow[]): Promise<void> {
    await this.pool.use((conn) => this.mergeRows(conn, table, rows));
  }

  table(name: string): string {
    return qualifiedName(this.config.database, this.config.schema, name);
  }

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return this.pool.use(async (conn) => (await execute(conn, sql, params as Bind[])).map(plainRow) as R[]);
  }

  async close(): Promise<void> {
    await this.pool.drain();
    await this.pool.clear();
  }

  private async mergeRows(conn: SnowflakeConn, table: TableSpec, rows: readonly WarehouseRow[]): Promise<void> {
    if (rows.length === 0) return;
    const { database, schema } = this.config;
    let tables = this.staged.get(conn);
    if (!tables) this.staged.set(conn, (tables = new Set()));
    if (!tables.has(table.name)) {
      await execute(conn, createStagingTableSql(table));
      tables.add(table.name);
    }
    // A failed earlier attempt on this session may have left rows behind.
    await execute(conn, truncateStagingSql(table));
    const types = loadedColumns(table).map((c) => c.type);
    await execute(
      conn,
      insertStagingSql(table),
      rows.map((row) => row.map((v, i) => toBind(v, types[i]!))),
    );
    await execute(conn, mergeSql(database, schema, table));
  }
}

async function authentication(config: SnowflakeConnectionConfig): Promise<Partial<snowflake.ConnectionOptions>> {
  if (config.password) return { password: config.password };
  const privateKey = config.privateKey ?? (await readFile(config.privateKeyPath!, 'utf8'));
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
