import type { OutgoingRecord, SourceRecord } from '../contracts/records.js';

/**
 * One partition: an append-only log with offsets, whose head can be truncated
 * once every consumer group has committed past it (so memory stays bounded).
 */
export class PartitionLog {
  private records: SourceRecord[] = [];
  /** Index in `records` of the first retained record. */
  private head = 0;
  /** Offset of `records[head]`. */
  private startOffset = 0;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  /** The offset the next record will get (Kafka's log-end offset / high watermark). */
  get endOffset(): number {
    return this.startOffset + (this.records.length - this.head);
  }

  /** The first offset still held. */
  get earliestOffset(): number {
    return this.startOffset;
  }

  append(record: OutgoingRecord, timestamp: number): number {
    const offset = this.endOffset;
    const { topic, partition } = this;
    this.records.push(
      record.headers
        ? { topic, partition, offset, timestamp, key: record.key, value: record.value, headers: record.headers }
        : { topic, partition, offset, timestamp, key: record.key, value: record.value },
    );
    return offset;
  }

  /** Up to `max` records from `offset` on (from the earliest held, if `offset` was truncated). */
  read(offset: number, max: number): SourceRecord[] {
    const from = this.head + Math.max(0, offset - this.startOffset);
    return this.records.slice(from, Math.min(from + max, this.records.length));
  }

  /** Forgets every record below `offset`. */
  truncateBefore(offset: number): void {
    const drop = Math.min(offset, this.endOffset) - this.startOffset;
    if (drop <= 0) return;
    this.head += drop;
    this.startOffset += drop;
    // Compact now and then rather than on every truncation: amortised O(1).
    if (this.head > 1024 && this.head * 2 > this.records.length) {
      this.records = this.records.slice(this.head);
      this.head = 0;
    }
  }
}
