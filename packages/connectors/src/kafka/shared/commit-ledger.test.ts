import { describe, expect, it, vi } from 'vitest';
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
    // Virtual time: "as soon as" is then exact, however busy the machine.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const ledger = new CommitLedger();
      ledger.handedOut(0, 99);
      const beats: number[] = [];
      const started = Date.now();
      setTimeout(() => ledger.committed([{ partition: 0, offset: 100 }]), 130);
      let settledAt: number | undefined;
      const settled = ledger
        .settle(5_000, async () => void beats.push(Date.now() - started), 20)
        .then((done) => {
          settledAt = Date.now() - started;
          return done;
        });
      await vi.advanceTimersByTimeAsync(129);
      expect(settledAt).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(settledAt).toBe(130);
      expect(await settled).toBe(true);
      // A heartbeat every 20 ms while it waited, none after.
      expect(beats).toEqual([20, 40, 60, 80, 100, 120]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('settle() resolves false when the budget runs out first, and not before', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const ledger = new CommitLedger();
      ledger.handedOut(0, 0);
      let result: boolean | undefined;
      const settled = ledger.settle(100, undefined, 20).then((done) => (result = done));
      await vi.advanceTimersByTimeAsync(99);
      expect(result).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(await settled).toBe(false);
      expect(await new CommitLedger().settle(0)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
