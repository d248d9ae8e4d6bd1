/**
 * Tables as data: names, columns and logical types. A warehouse connector
 * creates the tables it is given (mapping logical types to its SQL dialect),
 * so the same loads and queries run on every warehouse.
 *
 * Times are stored as timestamps without time zone, in UTC.
 */

/**
 * A column's logical type; each connector maps it to its dialect (`json`:
 * DuckDB JSON, Snowflake VARIANT; `double`: DuckDB DOUBLE, Snowflake FLOAT,
 * both 64-bit floats).
 */
export type ColumnType = 'text' | 'integer' | 'bigint' | 'money' | 'double' | 'boolean' | 'timestamp' | 'binary' | 'json';

/** One column of a {@link TableSpec}. */
export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  /** Whether the column takes `null`. Default `false`: columns are NOT NULL unless they say so. */
  readonly nullable?: boolean;
  /** `now`: the warehouse fills it with the load time, in UTC whatever the process's time zone. */
  readonly default?: 'now';
}

/** A table a warehouse creates and loads. */
export interface TableSpec {
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  /**
   * The column(s) that make `Warehouse.insertIfAbsent` idempotent (reference data).
   * Append-only tables have none: their loads are made exactly-once by
   * positions, so no index slows them down and no load reads them.
   */
  readonly primaryKey?: string | readonly string[];
  readonly description: string;
}

/** What a column may say besides its name and type. */
export type ColumnOptions = Partial<Pick<ColumnSpec, 'nullable' | 'default'>>;

/**
 * A column, for building {@link TableSpec}s. Columns are NOT NULL unless
 * `{ nullable: true }`; `{ default: 'now' }` makes the warehouse fill the
 * column with the load time (UTC), so rows do not carry it. The literal name,
 * type and options are kept in the returned type, so a table built with
 * `defineTable` gives the type of its rows (`RowOf`).
 */
export function column<const N extends string, const T extends ColumnType, const O extends ColumnOptions = {}>(
  name: N,
  type: T,
  options?: O,
): { readonly name: N; readonly type: T } & Readonly<O> {
  return { name, type, ...options } as { readonly name: N; readonly type: T } & Readonly<O>;
}

/**
 * A table whose definition is kept literally, so `RowOf<typeof TABLE>` is the
 * type of its rows. The same object is a {@link TableSpec} for every connector.
 *
 * @example
 * ```ts
 * import { column, defineTable } from '@sneakpipe/core';
 *
 * export const PAGE_VIEWS = defineTable({
 *   name: 'PAGE_VIEWS',
 *   description: 'One row per page view.',
 *   columns: [
 *     column('USER_ID', 'text'),
 *     column('URL', 'text'),
 *     column('VIEWED_AT', 'timestamp'),
 *     column('DURATION_MS', 'integer', { nullable: true }),
 *     column('LOADED_AT', 'timestamp', { default: 'now' }),
 *   ],
 * });
 * ```
 */
export function defineTable<const T extends TableSpec>(table: T): T {
  return table;
}

/**
 * The columns a load provides, in order: every column but those the warehouse
 * fills itself (load time). Rows follow this order.
 */
export function loadedColumns(table: TableSpec): ColumnSpec[] {
  return table.columns.filter((c) => c.default !== 'now');
}

/**
 * A row as connectors load it: values in {@link loadedColumns} order, with
 * timestamps as ms since epoch (UTC), binary values as byte arrays, JSON
 * values as JSON text and booleans as `true` or `false` (nothing else). The fast form connectors take, and unchecked: a
 * number is rounded to its column as the warehouse's cast would (1.5 in an
 * integer column loads as 2), and a wrong value fails the whole load
 * (`WAREHOUSE_REJECTED`). Applications write rows by name (`RowOf`) and let
 * `tableRows` check and convert them: a misfit then costs one record, sent to
 * the dead letters with its reason, never a rounding.
 */
export type WarehouseRow = readonly (string | number | boolean | Uint8Array | null)[];

/** Rows to append to one table. */
export interface TableRows {
  readonly table: TableSpec;
  readonly rows: readonly WarehouseRow[];
}

/**
 * Where each consumer group stands in each partition, as the warehouse knows
 * it: the offset of the next record to load. Written in the same transaction
 * as the rows, so rows and positions never disagree. Every warehouse creates it.
 */
export const LOAD_POSITIONS: TableSpec = {
  name: 'LOAD_POSITIONS',
  description: 'Per consumer group, topic and partition: the next offset to load. Advanced in the transaction of each load.',
  columns: [
    column('CONSUMER_GROUP', 'text'),
    column('TOPIC', 'text'),
    column('PARTITION', 'integer'),
    column('NEXT_OFFSET', 'bigint'),
    column('UPDATED_AT', 'timestamp', { default: 'now' }),
  ],
  primaryKey: ['CONSUMER_GROUP', 'TOPIC', 'PARTITION'],
};

/** The primary-key columns of a table (none for an append-only table). */
export function primaryKeyColumns(table: TableSpec): readonly string[] {
  return table.primaryKey === undefined ? [] : typeof table.primaryKey === 'string' ? [table.primaryKey] : table.primaryKey;
}
