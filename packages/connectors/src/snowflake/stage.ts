import { loadedColumns, type ColumnType, type TableSpec, type WarehouseRow } from '@sneakpipe/core';
import type { Bind, RunStatement, SnowflakeConn } from './execute.js';
import {
  createStagingTableSql,
  insertStagingSql,
  replaceStagingTableSql,
  stagingColumnsSql,
  stagingTableName,
  timestampText,
  truncateStagingSql,
} from './sql.js';
import { rejectedValue } from '../sql/rejected-value.js';

/**
 * The temporary staging tables of each pooled connection: a table's rows go
 * into its staging table in one request (a multi-row INSERT with array binds),
 * from which one statement moves them into the target. Temporary tables are
 * private to the connection that made them and live as long as it does.
 */
export class StagingTables {
  /** Per connection, the staging tables created: name → the column definitions it was created with. */
  private readonly created = new WeakMap<SnowflakeConn, Map<string, string>>();

  constructor(private readonly run: RunStatement) {}

  /**
   * Rows into the connection's staging table of `table` (created on first
   * use), emptied first. A spec of the table with other columns than the
   * staging table's (widened by `addColumns`, or the one defined again after
   * a widened one) replaces it with one of its columns.
   */
  async stage(conn: SnowflakeConn, table: TableSpec, rows: readonly WarehouseRow[]): Promise<void> {
    let tables = this.created.get(conn);
    if (!tables) this.created.set(conn, (tables = new Map()));
    const name = stagingTableName(table);
    const columns = stagingColumnsSql(table);
    const existing = tables.get(name);
    if (existing !== columns) {
      await this.run(conn, existing === undefined ? createStagingTableSql(table) : replaceStagingTableSql(table));
      tables.set(name, columns);
    }
    // A failed earlier attempt on this connection may have left rows behind.
    await this.run(conn, truncateStagingSql(table));
    const types = loadedColumns(table).map((c) => c.type);
    await this.run(
      conn,
      insertStagingSql(table),
      rows.map((row) => row.map((v, i) => toBind(v, types[i]!))),
    );
  }
}

/**
 * Timestamps travel as UTC text, bytes as hex, doubles as their shortest
 * exact text (`0.1`, `1e+300`, `-0`) and booleans as `true`/`false` (array
 * binds carry text and numbers; see the staging types). A boolean column
 * takes only booleans and a double column only finite numbers, as on DuckDB:
 * Snowflake's casts would read `"yes"` as true and `"NaN"` as NaN.
 */
function toBind(value: WarehouseRow[number], type: ColumnType): Bind {
  if (value === null) return null;
  if (type === 'timestamp') return timestampText(value as number);
  if (type === 'double') {
    const x = Number(value);
    if (!Number.isFinite(x)) throw rejectedValue(value, 'FLOAT (finite)');
    // String(-0) is "0": the sign would be lost on the way.
    return x === 0 && 1 / x < 0 ? '-0' : String(x);
  }
  if (type === 'boolean') {
    if (typeof value !== 'boolean') throw rejectedValue(value, 'BOOLEAN');
    return value ? 'true' : 'false';
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  // A boolean in a column of another type: as the text Snowflake's cast reads (and refuses where it must).
  return typeof value === 'boolean' ? String(value) : value;
}
