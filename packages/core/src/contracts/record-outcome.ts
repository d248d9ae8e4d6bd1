import type { Decoded } from './records.js';

/** What became of a record of a loaded batch. */
export type RecordOutcome = 'loaded' | 'dead-letter' | 'skipped';

/** Records whose outcome differs from what `ok` says; weakly held, so they go with their batch. */
const marked = new WeakMap<object, RecordOutcome>();

/** @internal Notes that a sink stored a record otherwise than its `ok` says (a refused row, a replay it dropped). */
export function markOutcome(item: object, outcome: RecordOutcome): void {
  marked.set(item, outcome);
}

/**
 * What a sink did with a record of a batch it wrote: `loaded` as a row,
 * stored as a `dead-letter` (it failed decoding, or its table refused its
 * row), or `skipped` because the warehouse already had it (a replay after a
 * crash, a rebalance or a rerun). Holds through any wrapping of the sink
 * (`fanOut`), so summaries and metrics count what a run really wrote.
 */
export function outcomeOf(item: Decoded<unknown>): RecordOutcome {
  return marked.get(item) ?? (item.ok ? 'loaded' : 'dead-letter');
}
