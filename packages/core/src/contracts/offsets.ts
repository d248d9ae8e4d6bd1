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
  const next = new Map<string, RecordPosition>();
  for (const { position } of items) {
    if (!position) continue;
    const key = `${position.topic}/${position.partition}`;
    const seen = next.get(key);
    if (!seen || position.offset + 1 > seen.offset) next.set(key, { ...position, offset: position.offset + 1 });
  }
  return [...next.values()];
}
