import { getHeapStatistics } from 'node:v8';

/**
 * A heap budget for a consumer at {@link DEFAULT_BATCH}, MiB: its records in
 * flight (with a {@link FlowControl} high water of four batches), and room to
 * work.
 *
 * @example
 * ```ts
 * import { DEFAULT_HEAP_BUDGET_MB, HeapBudget } from '@sneakpipe/core';
 *
 * declare const gc: () => void; // V8's full collection (node --expose-gc)
 * const heap = new HeapBudget({ budgetMb: DEFAULT_HEAP_BUDGET_MB, collect: gc });
 * ```
 */
export const DEFAULT_HEAP_BUDGET_MB = 96;

/** Options of {@link HeapBudget}. */
export interface HeapBudgetOptions {
  /** Heap (V8's used size) above which {@link HeapBudget.check} collects garbage, MiB. */
  budgetMb: number;
  /**
   * Most of the time spent in the collections it triggers, as a share of the
   * time between them. Default 0.1: after a 40 ms collection, the next one
   * waits at least 400 ms. A pipeline that makes garbage faster than that
   * goes above the budget rather than slower.
   */
  maxTimeShare?: number;
  /**
   * Runs V8's full garbage collection. Default: the global `gc`, which node
   * defines when it runs with `--expose-gc`; without it and without this
   * option, the constructor throws. The budget never sets V8 flags itself:
   * they are the whole process's, the program's to choose.
   */
  collect?: () => void;
}

/** The global `gc()` node defines with `--expose-gc`, if it does. */
const exposedGc = (): (() => void) | undefined => (globalThis as { gc?: () => void }).gc;

/**
 * A soft ceiling on the JavaScript heap of a long-running pipeline. V8 lets
 * garbage pile up between major collections, up to several times what is
 * live. Called between batches, {@link check} collects as soon as the heap
 * passes the budget, so resident memory stays near the budget at the cost of
 * one full collection (tens of ms) each time, a few per second at most.
 * Its cost is bounded: it spends at most `maxTimeShare` (10 %) of the time
 * collecting, so a CPU-bound pipeline may go above the budget between two
 * collections; and when more than half the budget is still live after a
 * collection, the ceiling becomes twice what is live.
 *
 * It needs V8's `gc()`: run node with `--expose-gc`, or pass `collect`.
 *
 * @example
 * ```ts
 * // node --expose-gc main.js
 * import { HeapBudget, loadPipeline, type Codec, type Decoded, type Sink, type Source } from '@sneakpipe/core';
 *
 * type Order = { id: string };
 * declare const source: Source;
 * declare const codec: Codec<Order>;
 * declare const sink: Sink<Decoded<Order>>;
 *
 * const heap = new HeapBudget({ budgetMb: 96 }); // throws if node was started without --expose-gc
 * loadPipeline({ source, codec, sink }).subscribe(() => heap.check()); // after each batch
 * ```
 */
export class HeapBudget {
  private readonly budget: number;
  private readonly maxTimeShare: number;
  /** When the next collection may run (performance.now() ms), so collections stay within `maxTimeShare`. */
  private notBefore = 0;
  private readonly gc: () => void;
  private liveAfterLast = 0;
  private count = 0;

  constructor(options: HeapBudgetOptions) {
    if (!Number.isFinite(options.budgetMb) || options.budgetMb <= 0) {
      throw new RangeError(`the heap budget must be a positive number of MiB, got ${options.budgetMb}`);
    }
    this.budget = options.budgetMb * 2 ** 20;
    this.maxTimeShare = options.maxTimeShare ?? 0.1;
    if (!(this.maxTimeShare > 0 && this.maxTimeShare <= 1)) {
      throw new RangeError(`maxTimeShare must be in (0, 1], got ${options.maxTimeShare}`);
    }
    const gc = options.collect ?? exposedGc();
    if (!gc) throw new Error("HeapBudget needs V8's gc(): run node with --expose-gc, or pass the `collect` option");
    this.gc = gc;
  }

  /** Collections this budget has triggered. */
  get collections(): number {
    return this.count;
  }

  /** The heap size, bytes, above which the next {@link check} collects. */
  get ceiling(): number {
    return Math.max(this.budget, 2 * this.liveAfterLast);
  }

  /** Collects garbage now if the heap is above the ceiling and the time share allows; returns whether it did. */
  check(): boolean {
    const now = performance.now();
    if (now < this.notBefore || getHeapStatistics().used_heap_size <= this.ceiling) return false;
    this.gc();
    const took = performance.now() - now;
    this.notBefore = now + took + took / this.maxTimeShare;
    this.count++;
    this.liveAfterLast = getHeapStatistics().used_heap_size;
    return true;
  }
}
