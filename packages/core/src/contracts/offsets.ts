import type { RecordPosition } from './records.js';

/**
 * The offsets to commit after `items` are durable: per topic-partition, the
 * highest offset seen plus one (Kafka's "next offset to read").
 *
 * This is only correct for items that come out of {@link load}, which emits
 * batches in input order: everything read before an emitted batch is durable
 * too, so its highest offset bounds a contiguous durable prefix.
 */
export function nextOffsets(items: Iterable<{ readonly position?: RecordPosition | undefined }>): RecordPosition[] {
  // Per topic, per partition: the position with the highest offset (no key string per item: this runs per record).
  const highest = new Map<string, Map<number, RecordPosition>>();
  for (const { position } of items) {
    if (!position) continue;
    let partitions = highest.get(position.topic);
    if (!partitions) highest.set(position.topic, (partitions = new Map()));
    const seen = partitions.get(position.partition);
    if (!seen || position.offset > seen.offset) partitions.set(position.partition, position);
  }
  const next: RecordPosition[] = [];
  for (const partitions of highest.values()) {
    for (const p of partitions.values()) next.push({ ...p, offset: p.offset + 1 });
  }
  return next;
}
