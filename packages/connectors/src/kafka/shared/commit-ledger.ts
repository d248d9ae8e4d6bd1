import { sleep } from '@sneakpipe/core';

/**
 * What a group member handed out and what it committed, per partition.
 *
 * Why: in Kafka's classic (eager) rebalance every member gives up all its
 * partitions, and the next owner of one starts at the group's committed
 * offset. Records handed out but not yet committed would be loaded twice
 * (once by this member, once by the next owner) wherever the members do not
 * share a warehouse's positions — Kafka's committed offsets are the only
 * truth all members share. So, as Java consumers commit in
 * `onPartitionsRevoked`, a sneakpipe member waits before it rejoins until its
 * commits cover what it handed out ({@link settle}). Commits are still
 * accepted while the group prepares the rebalance (only its next generation
 * fences them).
 */
export class CommitLedger {
  /** Per partition: the offset after the last record handed out. */
  private readonly handed = new Map<number, number>();
  /** Per partition: the last offset committed (the next record to read). */
  private readonly committedAt = new Map<number, number>();
  private readonly waiters = new Set<() => void>();

  /** A record of `partition` at `offset` was handed out. */
  handedOut(partition: number, offset: number): void {
    if (offset + 1 > (this.handed.get(partition) ?? -1)) this.handed.set(partition, offset + 1);
  }

  /** These offsets (next record to read, per partition) were committed. */
  committed(positions: readonly { partition: number; offset: number }[]): void {
    for (const { partition, offset } of positions) {
      if (offset > (this.committedAt.get(partition) ?? -1)) this.committedAt.set(partition, offset);
    }
    if (this.outstanding.length === 0) for (const wake of [...this.waiters]) wake();
  }

  /**
   * Forgets every partition but `owned`: a member cannot commit for a
   * partition it lost, so waiting for those commits would only stall the next
   * rebalance.
   */
  keep(owned: readonly number[]): void {
    for (const map of [this.handed, this.committedAt]) for (const p of map.keys()) if (!owned.includes(p)) map.delete(p);
  }

  /** Partitions with records handed out and not committed yet. */
  get outstanding(): number[] {
    return [...this.handed].filter(([p, next]) => next > (this.committedAt.get(p) ?? -1)).map(([p]) => p);
  }

  /**
   * Resolves `true` once nothing is outstanding, `false` if `budgetMs` passes
   * first. Calls `tick` every `tickMs` meanwhile (a member keeps
   * heartbeating, or the coordinator would expire it while it waits).
   */
  async settle(budgetMs: number, tick?: () => Promise<void>, tickMs = 1_000): Promise<boolean> {
    const deadline = Date.now() + budgetMs;
    while (this.outstanding.length > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let wake = () => undefined as void;
      const woken = new Promise<void>((r) => (wake = r));
      this.waiters.add(wake);
      await Promise.race([woken, sleep(Math.min(left, tickMs), { unref: true })]);
      this.waiters.delete(wake);
      if (this.outstanding.length > 0) await tick?.().catch(() => undefined);
    }
    return true;
  }
}
