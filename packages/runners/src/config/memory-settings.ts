import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEFAULT_HEAP_BUDGET_MB, HeapBudget, fields, setting } from '@sneakpipe/core';

/**
 * The memory/throughput trade-off of a command. The heap budget is on by
 * default where resident memory matters, the long-running `consume`
 * (`DEFAULT_HEAP_BUDGET_MB`), and off for the CPU-bound bounded runs, where
 * its collections cost throughput and a run that ends soon gains little from
 * the memory they save (docs/benchmarks.md).
 */
export const memorySettings = (defaults: { heapBudgetMb: number } = { heapBudgetMb: DEFAULT_HEAP_BUDGET_MB }) => ({
  heapBudgetMb: setting(fields.nonNegativeInt().default(defaults.heapBudgetMb), {
    flag: 'heap-budget',
    value: 'MiB',
    env: 'SNEAKPIPE_HEAP_BUDGET_MB',
    description: 'collect garbage between batches once the JavaScript heap passes this size (0: leave it to V8)',
  }),
  lowMemory: setting(fields.bool.default(false), {
    flag: 'low-memory',
    env: 'SNEAKPIPE_LOW_MEMORY',
    description: "collect garbage eagerly (V8's --optimize-for-size): less memory for less throughput when CPU-bound",
  }),
});

/**
 * Applies the memory settings; returns what to call between batches.
 *
 * By default V8 lets garbage pile up between major collections, several
 * times what is live. The heap budget collects once the heap passes it,
 * between batches, which lowers a consumer's peak RSS at the same throughput
 * (docs/benchmarks.md).
 * `--low-memory` (V8's `--optimize-for-size`) collects eagerly all the time;
 * set at start, before the heap grows.
 *
 * The budget runs V8's full collection, `gc()`: the global one when node was
 * started with `--expose-gc`, else exposed here. V8 flags are the whole
 * process's, so the CLI, which owns its process, sets them; the library does not.
 */
export function applyMemoryMode(
  values: { lowMemory: boolean; heapBudgetMb: number },
  log?: { info(obj: object, msg: string): void },
): () => void {
  if (values.lowMemory) {
    setFlagsFromString('--optimize-for-size');
    log?.info({ v8: '--optimize-for-size' }, 'low-memory mode: garbage is collected eagerly');
  }
  if (values.heapBudgetMb === 0) return () => undefined;
  const budget = new HeapBudget({ budgetMb: values.heapBudgetMb, collect: v8Collector() });
  return () => void budget.check();
}

/** V8's `gc()`: the global one when node runs with `--expose-gc`, else exposed now (the flag reaches new contexts). */
function v8Collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
