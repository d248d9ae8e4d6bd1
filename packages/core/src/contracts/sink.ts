import type { Observable } from 'rxjs';
import type { Decoded, SourceRecord, RecordPosition } from './records.js';
import type { OrderEvent } from '../domain/order-event.js';
import type { TableSpec, WarehouseRow } from '../domain/warehouse-tables.js';

/**
 * Anything that durably stores batches. The whole contract of an output.
 *
 * `write` resolves only once the batch is durable (committed to the warehouse,
 * acknowledged by the broker); the pipeline commits source offsets after that,
 * so a sink that resolves early breaks at-least-once delivery. `write` may be
 * called again with the same items after a crash: sinks should be idempotent.
 */
export interface Sink<T> {
  write(batch: readonly T[]): Promise<void>;
  close?(): Promise<void>;
}

/** A row as read back from a warehouse query: column name → value. */
export type Row = Record<string, unknown>;

/**
 * A warehouse: a sink for decoded order events (valid rows go to
 * `STREAMING_ORDERS`, dead letters to `DEAD_LETTERS`, in one transaction) that
 * can also answer SQL, for summaries and reports.
 */
export interface Warehouse extends Sink<Decoded<OrderEvent>> {
  /** Creates the database objects if they do not exist. Idempotent. */
  init(): Promise<void>;
  /**
   * Loads rows into any table of the data contract (batch reference data),
   * idempotently on its primary key: rows whose key exists are left as they are.
   */
  upsert(table: TableSpec, rows: readonly WarehouseRow[]): Promise<void>;
  /** The fully qualified, quoted name of a table, e.g. `"RETAIL_LAB"."STG"."STREAMING_ORDERS"`, for queries. */
  table(name: string): string;
  /** Runs a read-only query with positional parameters (`?` placeholders). */
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

/**
 * Anything that delivers records with positions and accepts commits. The whole
 * contract of an input.
 */
export interface Source {
  /** The records, in order per partition. */
  records(): Observable<SourceRecord>;
  /**
   * Commits, per partition, the offset of the next record to read (Kafka's
   * convention: last processed offset + 1).
   */
  commit(positions: readonly RecordPosition[]): Promise<void>;
  close(): Promise<void>;
}
