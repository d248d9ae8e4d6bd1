/** Where a record sits in a partitioned log (Kafka or the in-process broker). */
export interface RecordPosition {
  readonly topic: string;
  readonly partition: number;
  /** The record's offset. Kafka offsets are int64; JS numbers are exact up to 2^53. */
  readonly offset: number;
}

/** A record as a {@link Source} delivers it: raw bytes plus where it came from. */
export interface SourceRecord extends RecordPosition {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array;
  /** Broker append time, ms since epoch. */
  readonly timestamp: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A record to publish: key (for partitioning) and value bytes. */
export interface OutgoingRecord {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A record that decoded and validated: the typed value and where it came from. */
export interface ValidRecord<T> {
  readonly ok: true;
  readonly value: T;
  /** Size of the original bytes, for byte-bounded batching. */
  readonly sizeBytes: number;
  readonly position?: RecordPosition;
}

/**
 * A record that could not be decoded or validated. It keeps the original bytes
 * and the reason, so nothing is lost: the application stores it (a dead-letter table, a DLQ
 * topic) and its offset is then committed like any other.
 */
export interface DeadLetter {
  readonly ok: false;
  /** Human-readable cause, e.g. `quantity: Too small: expected number to be >=1`. */
  readonly reason: string;
  /** The original bytes, untouched. */
  readonly raw: Uint8Array;
  readonly sizeBytes: number;
  readonly position?: RecordPosition;
  /** When it was rejected, ms since epoch. */
  readonly failedAt: number;
}

/** What {@link deserialize} emits for every input record: a valid record or a dead letter. */
export type Decoded<T> = ValidRecord<T> | DeadLetter;
