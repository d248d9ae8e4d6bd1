/** Per partition: end offset, committed offset of a group, and the lag between them. */
export interface PartitionLag {
  readonly partition: number;
  readonly endOffset: number;
  readonly committed: number;
  readonly lag: number;
}

/** A partition's offset range as a client lists it: its earliest offset and its end offset (high watermark). */
export interface PartitionOffsets {
  readonly partition: number;
  readonly earliest: number;
  readonly end: number;
}

/**
 * The committed offsets that exist: Kafka answers -1 for a partition the
 * group never committed, which is no offset at all.
 */
export function committedOffsets(entries: Iterable<readonly [partition: number, offset: number]>): Map<number, number> {
  return new Map([...entries].filter(([, offset]) => offset >= 0));
}

/**
 * The lag of a group, per partition, ascending: records between the group's
 * committed offset and the partition's end. A partition the group never
 * committed counts from its earliest offset (what `fromBeginning` reads, and
 * what retention left), so a new group's lag is what it has to read.
 */
export function groupLag(offsets: Iterable<PartitionOffsets>, committed: ReadonlyMap<number, number>): PartitionLag[] {
  return [...offsets]
    .map(({ partition, earliest, end }) => {
      const c = committed.get(partition);
      const from = c === undefined || c < 0 ? earliest : c;
      return { partition, endOffset: end, committed: from, lag: Math.max(0, end - from) };
    })
    .sort((a, b) => a.partition - b.partition);
}
