import { describe, expect, it } from 'vitest';
import { CommitLedger } from './commit-ledger.js';

describe('CommitLedger', () => {
  it('has nothing outstanding until a record is handed out, and again once its offset is committed', () => {
    const ledger = new CommitLedger();
    expect(ledger.outstanding).toEqual([]);
    ledger.handedOut(0, 41);
    ledger.handedOut(2, 7);
    expect(ledger.outstanding).toEqual([0, 2]);
    ledger.committed([{ partition: 0, offset: 41 }]); // commits name the next record: 41 is not past record 41
    expect(ledger.outstanding).toEqual([0, 2]);
    ledger.committed([{ partition: 0, offset: 42 }]);
    expect(ledger.outstanding).toEqual([2]);
  });

  it('never moves back: an older commit arriving late does not reopen a partition', () => {
    const ledger = new CommitLedger();
    ledger.handedOut(1, 9);
    ledger.committed([{ partition: 1, offset: 10 }]);
    ledger.committed([{ partition: 1, offset: 5 }]);
    expect(ledger.outstanding).toEqual([]);
  });

  it('forgets lost partitions: their commits can no longer come from this member', () => {
    const ledger = new CommitLedger();
    ledger.handedOut(0, 3);
    ledger.handedOut(1, 3);
    ledger.keep([1]);
    expect(ledger.outstanding).toEqual([1]);
  });

  it('settle() resolves true as soon as the last commit lands, heartbeating while it waits', async () => {
    const ledger = new CommitLedger();
    ledger.handedOut(0, 99);
    let beats = 0;
    setTimeout(() => ledger.committed([{ partition: 0, offset: 100 }]), 120);
    const started = Date.now();
    expect(await ledger.settle(5_000, async () => void beats++, 20)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(beats).toBeGreaterThan(0);
  });

  it('settle() resolves false when the budget runs out first', async () => {
    const ledger = new CommitLedger();
    ledger.handedOut(0, 0);
    expect(await ledger.settle(100, undefined, 20)).toBe(false);
    expect(await new CommitLedger().settle(0)).toBe(true);
  });
});
