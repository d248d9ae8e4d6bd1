/**
 * The warehouse's tables as data: names, columns and logical types. Every
 * warehouse connector creates exactly these (mapping logical types to its SQL
 * dialect), so reports run unchanged on DuckDB and Snowflake.
 *
 * Times are stored as timestamps without time zone, in UTC.
 */

/** A column's logical type; each connector maps it to its dialect. */
export type ColumnType = 'text' | 'integer' | 'bigint' | 'money' | 'timestamp' | 'binary';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable?: boolean;
  /** `now`: defaults to the load time. */
  readonly default?: 'now';
}

export interface TableSpec {
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  /** The column that makes loads idempotent. */
  readonly primaryKey: string;
  readonly description: string;
}

const col = (name: string, type: ColumnType, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ name, type, ...extra });

/** Real-time order events: the event fields upper-cased, plus where they came from and when they were loaded. */
export const STREAMING_ORDERS: TableSpec = {
  name: 'STREAMING_ORDERS',
  description: 'Order events from the stream, one row per EVENT_ID.',
  primaryKey: 'EVENT_ID',
  columns: [
    col('EVENT_ID', 'text'),
    col('EVENT_TYPE', 'text'),
    col('TIMESTAMP', 'timestamp'),
    col('ORDER_ID', 'bigint'),
    col('CUSTOMER_NAME', 'text'),
    col('CUSTOMER_CITY', 'text'),
    col('BRAND', 'text'),
    col('MODEL', 'text'),
    col('COLOR', 'text'),
    col('SIZE', 'text'),
    col('UNIT_PRICE', 'money'),
    col('TOTAL_AMOUNT', 'money'),
    col('QUANTITY', 'integer'),
    col('KAFKA_PARTITION', 'integer', { nullable: true }),
    col('KAFKA_OFFSET', 'bigint', { nullable: true }),
    col('PROCESSED_AT', 'timestamp', { default: 'now' }),
  ],
};

/** Records that failed decoding or validation, with the reason and the original bytes. */
export const DEAD_LETTERS: TableSpec = {
  name: 'DEAD_LETTERS',
  description: 'Rejected records: reason, original bytes and source position.',
  primaryKey: 'DEAD_LETTER_ID',
  columns: [
    col('DEAD_LETTER_ID', 'text'),
    col('REASON', 'text'),
    col('RAW_VALUE', 'binary'),
    col('SOURCE_TOPIC', 'text', { nullable: true }),
    col('SOURCE_PARTITION', 'integer', { nullable: true }),
    col('SOURCE_OFFSET', 'bigint', { nullable: true }),
    col('FAILED_AT', 'timestamp'),
    col('PROCESSED_AT', 'timestamp', { default: 'now' }),
  ],
};

/** Batch reference data: the shop's customers. */
export const CUSTOMERS: TableSpec = {
  name: 'CUSTOMERS',
  description: 'Customers (batch reference data).',
  primaryKey: 'CUSTOMER_ID',
  columns: [
    col('CUSTOMER_ID', 'bigint'),
    col('CUSTOMER_NAME', 'text'),
    col('EMAIL', 'text'),
    col('CITY', 'text'),
    col('SIGNUP_AT', 'timestamp'),
  ],
};

/** Batch reference data: stock and price per brand, model, colour and size. */
export const INVENTORY: TableSpec = {
  name: 'INVENTORY',
  description: 'Stock and price per SKU (batch reference data).',
  primaryKey: 'SKU',
  columns: [
    col('SKU', 'text'),
    col('BRAND', 'text'),
    col('MODEL', 'text'),
    col('COLOR', 'text'),
    col('SIZE', 'text'),
    col('UNIT_PRICE', 'money'),
    col('STOCK_QUANTITY', 'integer'),
    col('UPDATED_AT', 'timestamp'),
  ],
};

/** Batch reference data: order history. */
export const ORDERS: TableSpec = {
  name: 'ORDERS',
  description: 'Order history (batch reference data).',
  primaryKey: 'ORDER_ID',
  columns: [
    col('ORDER_ID', 'bigint'),
    col('CUSTOMER_ID', 'bigint'),
    col('ORDER_DATE', 'timestamp'),
    col('BRAND', 'text'),
    col('MODEL', 'text'),
    col('COLOR', 'text'),
    col('SIZE', 'text'),
    col('QUANTITY', 'integer'),
    col('UNIT_PRICE', 'money'),
    col('TOTAL_AMOUNT', 'money'),
    col('STATUS', 'text'),
  ],
};

/**
 * The columns a load provides, in order: every column but those the warehouse
 * fills itself (load time). Rows passed to `Warehouse.upsert` follow this order.
 */
export function loadedColumns(table: TableSpec): ColumnSpec[] {
  return table.columns.filter((c) => c.default !== 'now');
}

/**
 * A row as connectors load it: values in {@link loadedColumns} order, with
 * timestamps as ms since epoch (UTC) and binary values as byte arrays.
 */
export type WarehouseRow = readonly (string | number | Uint8Array | null)[];

/** Every table a warehouse creates, in creation order. */
export const WAREHOUSE_TABLES: readonly TableSpec[] = [STREAMING_ORDERS, DEAD_LETTERS, CUSTOMERS, INVENTORY, ORDERS];

/** Default database and schema names, from the seed. */
export const DEFAULT_DATABASE = 'RETAIL_LAB';
export const DEFAULT_SCHEMA = 'STG';
