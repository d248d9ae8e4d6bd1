import type { DeadLetter } from '../contracts/records.js';
import { column, defineTable, type WarehouseRow } from '../contracts/tables.js';

/** The columns of a dead-letter table: why, the bytes, where they came from, when. */
const deadLetterColumns = [
  column('REASON', 'text'),
  column('RAW', 'binary'),
  column('SOURCE_TOPIC', 'text', { nullable: true }),
  column('SOURCE_PARTITION', 'integer', { nullable: true }),
  column('SOURCE_OFFSET', 'bigint', { nullable: true }),
  column('FAILED_AT', 'timestamp'),
  column('LOADED_AT', 'timestamp', { default: 'now' }),
] as const;

/** A table of dead letters, as {@link deadLetterTable} defines it. */
export interface DeadLetterTable<N extends string = string> {
  readonly name: N;
  readonly description: string;
  readonly columns: typeof deadLetterColumns;
}

/**
 * A table for the records a pipeline could not load: the reason (which
 * field, which column, which value), the bytes (as received for a record that
 * did not decode; the record as JSON for a row its table refused), the source position
 * and when it failed. Append-only, loaded in the same transaction as the rows
 * beside it, so a dead letter is stored exactly once like any record.
 *
 * @example
 * ```ts
 * import { deadLetterTable } from '@sneakpipe/core';
 *
 * export const PAGE_VIEW_REJECTS = deadLetterTable('PAGE_VIEW_REJECTS');
 * ```
 */
export function deadLetterTable<const N extends string>(name: N, description?: string): DeadLetterTable<N> {
  return defineTable({
    name,
    description: description ?? 'Records that could not be loaded: the reason, their bytes and where they came from.',
    columns: deadLetterColumns,
  });
}

/** A dead letter as a row of a {@link deadLetterTable}, in its loaded columns' order. */
export function deadLetterRow(deadLetter: DeadLetter): WarehouseRow {
  const p = deadLetter.position;
  return [deadLetter.reason, deadLetter.raw, p?.topic ?? null, p?.partition ?? null, p?.offset ?? null, deadLetter.failedAt];
}
