import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { HeapBudget } from './heap-budget.js';

const used = () => getHeapStatistics().used_heap_size;
const MiB = 2 ** 20;

/** About `mb` MiB of record-like objects. */
const batchOf = (mb: number): object[] =>
  Array.from({ length: mb * 8_000 }, (_, i) => ({ id: i, text: `record-${i}`, values: [i, i + 1] }));

describe('HeapBudget', () => {
  it('collects once the heap passes the budget, and brings it back under', () => {
    const budgetMb = Math.ceil(used() / MiB) + 24;
    const budget = new HeapBudget({ budgetMb, maxTimeShare: 1 });
    expect(budget.check()).toBe(false);
    // Batches that live a while (promoted to the old generation, as records in flight are), then die.
    const inFlight: object[][] = [];
    let collected = false;
    for (let round = 0; round < 200 && !collected; round++) {
      inFlight[round % 2] = batchOf(4);
      collected = budget.check();
    }
    expect(collected).toBe(true);
    expect(budget.collections).toBe(1);
    // What is live (two batches) is well under the budget: the collection, not V8's own, brought the heap back.
    expect(used()).toBeLessThan(budgetMb * MiB);
    expect(inFlight).toHaveLength(2);
  });

  it('raises its ceiling to twice what is live when the budget is smaller than the live heap', () => {
    const budget = new HeapBudget({ budgetMb: 1, maxTimeShare: 1 });
    const kept = Array.from({ length: 200_000 }, (_, i) => ({ i, text: `kept-${i}` }));
    batchOf(8); // garbage at once
    expect(budget.check()).toBe(true);
    expect(budget.ceiling).toBeGreaterThanOrEqual(2 * 1 * MiB);
    expect(budget.ceiling).toBeGreaterThan(used());
    // Right after a collection, a little more garbage does not collect again.
    batchOf(1);
    expect(budget.check()).toBe(false);
    expect(budget.collections).toBe(1);
    expect(kept.length).toBe(200_000);
  });

  it('spends at most its time share collecting: right after a collection, a heap over budget waits', () => {
    const budget = new HeapBudget({ budgetMb: 1, maxTimeShare: 0.000_1 });
    const kept = batchOf(8);
    expect(budget.check()).toBe(true);
    const more = batchOf(32);
    // Twice what was live is passed, but the next collection may come only ~10,000 collections' time later.
    expect(used()).toBeGreaterThan(budget.ceiling);
    expect(budget.check()).toBe(false);
    expect(budget.collections).toBe(1);
    expect(kept.length + more.length).toBeGreaterThan(0);
  });

  it('refuses a budget that is not a positive size', () => {
    expect(() => new HeapBudget({ budgetMb: 0 })).toThrow(/positive number of MiB, got 0/);
    expect(() => new HeapBudget({ budgetMb: Number.NaN })).toThrow(RangeError);
    expect(() => new HeapBudget({ budgetMb: 64, maxTimeShare: 0 })).toThrow(/maxTimeShare must be in \(0, 1\], got 0/);
  });
});
