import type { SourceRecord } from '@sneakpipe/core';
import type { GroupMessage } from './fetch-stream.js';

/**
 * The partitions of one topic a member owns, and per partition what it
 * handed out: which fetched records to consider and which one is next. The
 * library fetches kept partitions again from their committed offset after a
 * rebalance or a reconnect, so an offset may come twice; it is handed out once.
 */
export class OwnedPartitions {
  private assignment: number[] = [];
  /** Per owned partition: the offset after the last record handed out. */
  private readonly next = new Map<number, number>();
  /**
   * Per owned partition: the group generation in which this member got it.
   * Records fetched in an earlier generation are from a previous ownership
   * (lost, then given back): they are dropped, the partition is fetched again
   * from its committed offset.
   */
  private readonly gainedIn = new Map<number, number>();

  constructor(private readonly topic: string) {}

  /** The partitions owned since the last join, ascending. */
  get partitions(): readonly number[] {
    return this.assignment;
  }

  /** The member joined generation `generationId` with `mine`: returns the partitions it gained. */
  joined(mine: readonly number[], generationId: number): number[] {
    for (const p of this.next.keys()) if (!mine.includes(p)) this.next.delete(p);
    for (const p of this.gainedIn.keys()) if (!mine.includes(p)) this.gainedIn.delete(p);
    const gained = mine.filter((p) => !this.assignment.includes(p));
    for (const p of gained) this.gainedIn.set(p, generationId);
    this.assignment = [...mine];
    return gained;
  }

  /** Owns nothing until the next join, which then counts every partition as gained (where each resumes is asked again). */
  forget(): void {
    this.assignment = [];
  }

  /** Whether a fetched message is to consider: not when its partition is not owned, was fetched for an earlier ownership, or is past. */
  accepts(m: GroupMessage): boolean {
    if (m.topic !== this.topic || !this.assignment.includes(m.partition)) return false;
    const fetchedIn = (m.metadata?.consumer as { generationId?: number } | undefined)?.generationId;
    if (fetchedIn !== undefined && fetchedIn < (this.gainedIn.get(m.partition) ?? 0)) return false;
    const next = this.next.get(m.partition);
    return next === undefined || Number(m.offset) >= next;
  }

  /** Whether `record` is new (then it counts as handed out): false for an offset already handed out. */
  handOut(record: SourceRecord): boolean {
    const next = this.next.get(record.partition);
    if (next !== undefined && record.offset < next) return false;
    this.next.set(record.partition, record.offset + 1);
    return true;
  }
}
