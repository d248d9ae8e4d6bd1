/**
 * The partitions a member owned, lost to another member, and got back — and
 * where those resume.
 *
 * Why: a partition resumes from the warehouse's stored position even where
 * the group's committed offset is ahead (someone moved the group by hand, or
 * the warehouse was restored from a backup: what Kafka would skip is loaded).
 * But members of one group may load into different warehouses — a DuckDB file
 * each, or 0.1.0 members (no stored positions) beside 0.2.0 ones during a
 * rolling upgrade. When this member gets back a partition that another member
 * owned meanwhile, a committed offset past this warehouse's position is that
 * member's work, loaded where it loads: resuming from the stored position
 * would load those records a second time. So for a regained partition the
 * committed offset wins; for any other, the stored position does, as before.
 * Kafka's committed offsets are the one position all members share.
 */
export class OwnershipHistory {
  private current: readonly number[] = [];
  private readonly lost = new Set<number>();

  /**
   * Records the member's assignment after a join; returns the partitions of
   * it that the member owned before and lost at a rebalance since.
   */
  assigned(now: readonly number[]): number[] {
    for (const p of this.current) if (!now.includes(p)) this.lost.add(p);
    const regained = now.filter((p) => this.lost.has(p));
    for (const p of regained) this.lost.delete(p);
    this.current = [...now];
    return regained;
  }
}

/** A regained partition whose committed offset is past the stored position. */
export interface Overtaken {
  readonly partition: number;
  readonly stored: number;
  readonly committed: number;
}

/**
 * Where partitions resume: the stored positions, except that a regained
 * partition whose committed offset is past its stored position resumes from
 * the committed offset (see {@link OwnershipHistory}).
 */
export function resumePositions(
  stored: ReadonlyMap<number, number>,
  committed: ReadonlyMap<number, number>,
  regained: readonly number[],
): { offsets: Map<number, number>; overtaken: Overtaken[] } {
  const offsets = new Map(stored);
  const overtaken: Overtaken[] = [];
  for (const partition of regained) {
    const s = stored.get(partition);
    const c = committed.get(partition);
    if (s === undefined || c === undefined || c <= s) continue;
    offsets.set(partition, c);
    overtaken.push({ partition, stored: s, committed: c });
  }
  return { offsets, overtaken };
}
