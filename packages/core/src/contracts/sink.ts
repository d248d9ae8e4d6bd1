import type { Observable } from 'rxjs';
import type { SourceRecord, RecordPosition } from './records.js';

/**
 * Anything that durably stores batches. The whole contract of an output.
 *
 * `write` resolves only once the batch is durable (committed to the warehouse,
 * acknowledged by the broker); the pipeline commits source offsets after that,
 * so a sink that resolves early breaks at-least-once delivery. `write` may be
 * called again with the same items after a crash: a sink makes that
 * exactly-once by positions (see `positionedSink`) or by keys, or accepts
 * duplicates (a dead-letter topic).
 */
export interface Sink<T> {
  write(batch: readonly T[]): Promise<void>;
  close?(): Promise<void>;
}

/**
 * Anything that delivers records with positions and accepts commits. The whole
 * contract of an input. Lifecycle: opened by its connector, read with
 * `records` and `commit`, then `close` (see {@link ConnectorDescriptor}).
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
