import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HeapBudget } from './heap-budget.js';

// V8's full collection for this test process, as a program gives it (the library never sets V8 flags itself).
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

const used = () => getHeapStatistics().used_heap_size;
const MiB = 2 ** 20;

/** About `mb` MiB of record-like objects. */
const batchOf = (mb: number): object[] =>
  Array.from({ length: mb * 8_000 }, (_, i) => ({ id: i, text: `record-${i}`, values: [i, i + 1] }));

/** What a case keeps alive until it ends: a local that is never read again may be collected before the case ends. */
const held: unknown[] = [];
const hold = <T>(value: T): T => (held.push(value), value);

/**
 * The clock HeapBudget reads (`performance.now()`), moved by the test only:
 * its time share is then a matter of the numbers, not of how busy the
 * machine is. Each reading moves it `perReading` ms, so a collection "takes" that long.
 */
function manualClock(perReading = 0) {
  let now = 1_000_000;
  vi.spyOn(performance, 'now').mockImplementation(() => (now += perReading));
  return { advance: (ms: number) => void (now += ms) };
}

afterEach(() => {
  held.length = 0;
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('HeapBudget', () => {
  it('collects once the heap passes the budget, and brings it back under', () => {
    manualClock();
    const budgetMb = Math.ceil(used() / MiB) + 24;
    const budget = new HeapBudget({ budgetMb, maxTimeShare: 1, collect });
    expect(budget.check()).toBe(false);
    // Batches that live a while (promoted to the old generation, as records in flight are), then die.
    const inFlight = hold<object[][]>([]);
    let checks = 0;
    while (checks < 200 && !budget.check()) {
      inFlight[checks++ % 2] = batchOf(4);
    }
    expect(budget.collections, `collections after ${checks} checks`).toBe(1);
    // What is live (two batches) is well under the budget: the collection, not V8's own, brought the heap back.
    expect(used()).toBeLessThan(budgetMb * MiB);
  });

  it('raises its ceiling to twice what is live when the budget is smaller than the live heap', () => {
    // The clock stands still: no time share holds a collection back, only the ceiling can.
    manualClock();
    const budget = new HeapBudget({ budgetMb: 1, maxTimeShare: 1, collect });
    hold(Array.from({ length: 200_000 }, (_, i) => ({ i, text: `kept-${i}` })));
    batchOf(8); // garbage at once
    expect(budget.check()).toBe(true);
    const live = used();
    expect(budget.ceiling).toBeGreaterThanOrEqual(2 * 1 * MiB);
    expect(budget.ceiling).toBeGreaterThan(live);
    // Right after a collection, a little more garbage does not collect again: the heap, far above the 1 MiB budget,
    // is under the ceiling.
    batchOf(1);
    expect(budget.check()).toBe(false);
    expect(budget.collections).toBe(1);
  });

  it('spends at most its time share collecting: right after a collection, a heap over budget waits', () => {
    // Every reading of the clock moves it 10 ms: the collection "takes" 10 ms, so at a share of 0.0001 the next
    // one may come 100 s later (10 ms / 0.0001), whatever the machine's speed.
    const clock = manualClock(10);
    const budget = new HeapBudget({ budgetMb: 1, maxTimeShare: 0.000_1, collect });
    hold(batchOf(8));
    expect(budget.check()).toBe(true);
    hold(batchOf(Math.ceil((budget.ceiling - used()) / MiB) + 16));
    expect(used()).toBeGreaterThan(budget.ceiling);
    expect(budget.check()).toBe(false);
    clock.advance(99_000);
    expect(budget.check()).toBe(false);
    expect(budget.collections).toBe(1);
    // Once the share allows it, the heap over its ceiling is collected.
    clock.advance(2_000);
    expect(budget.check()).toBe(true);
    expect(budget.collections).toBe(2);
  });

  it('refuses a budget that is not a positive size', () => {
    expect(() => new HeapBudget({ budgetMb: 0, collect })).toThrow(/positive number of MiB, got 0/);
    expect(() => new HeapBudget({ budgetMb: Number.NaN, collect })).toThrow(RangeError);
    expect(() => new HeapBudget({ budgetMb: 64, maxTimeShare: 0, collect })).toThrow(/maxTimeShare must be in \(0, 1\], got 0/);
  });

  it('uses the global gc() of node --expose-gc, and without it or `collect` refuses to start', () => {
    let collections = 0;
    vi.stubGlobal('gc', () => void collections++);
    manualClock();
    const budget = new HeapBudget({ budgetMb: 1, maxTimeShare: 1 });
    hold(batchOf(4));
    expect(budget.check()).toBe(true);
    expect(collections).toBe(1);
    vi.stubGlobal('gc', undefined);
    expect(() => new HeapBudget({ budgetMb: 64 })).toThrow(/run node with --expose-gc, or pass the `collect` option/);
  });
});
