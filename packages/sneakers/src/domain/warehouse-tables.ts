/**
 * The sneaker shop's tables (the original system's `RETAIL_LAB.STG.*`, see
 * `WAREHOUSE_LOCATION`), as data: every warehouse connector creates them
 * (mapping logical types to its SQL dialect), so reports run unchanged on
 * DuckDB and Snowflake.
 */
import { column, type TableSpec } from '@sneakpipe/core';

const col = column;

/**
 * Real-time order events: the event fields upper-cased, where they came from,
 * their data-quality flags, every other field the producer sent, and when they
 * were loaded. Append-only: one row per record of the stream (an event sent
 * twice by its producer is two rows with one EVENT_ID; reports count it once).
 */
export const STREAMING_ORDERS: TableSpec = {
  name: 'STREAMING_ORDERS',
  description: 'Order events from the stream, one row per record (append-only).',
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
    col('QUALITY_FLAGS', 'text', { nullable: true }),
    col('EXTRA_FIELDS', 'json', { nullable: true }),
    col('PROCESSED_AT', 'timestamp', { default: 'now' }),
  ],
};

/** Records that failed decoding or validation, with the reason and the original bytes. */
export const DEAD_LETTERS: TableSpec = {
  name: 'DEAD_LETTERS',
  description: 'Rejected records: reason, original bytes and source position (append-only).',
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

/**
 * What became of dead letters that were replayed (`sneakpipe dead-letters
 * replay`): one row per attempt, appended in the transaction that loads the
 * now-valid ones, so a dead letter is marked, never deleted. `RESULT` is
 * `loaded` (its event is in STREAMING_ORDERS under `EVENT_ID`) or `dead` (it
 * still fails, `REASON` says why today).
 */
export const DEAD_LETTER_REPLAYS: TableSpec = {
  name: 'DEAD_LETTER_REPLAYS',
  description: 'Replays of dead letters: the result of each attempt (append-only).',
  columns: [
    col('DEAD_LETTER_ID', 'text'),
    col('RESULT', 'text'),
    col('REASON', 'text', { nullable: true }),
    col('EVENT_ID', 'text', { nullable: true }),
    col('REPLAYED_AT', 'timestamp', { default: 'now' }),
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

/** Every table a warehouse creates, in creation order. */
export const WAREHOUSE_TABLES: readonly TableSpec[] = [STREAMING_ORDERS, DEAD_LETTERS, DEAD_LETTER_REPLAYS, CUSTOMERS, INVENTORY, ORDERS];
