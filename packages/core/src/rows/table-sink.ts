import type { Decoded, RecordPosition } from '../contracts/records.js';
import type { TableSpec } from '../contracts/tables.js';
import { positionedSink, type PositionedSink, type PositionedSinkOptions } from '../positions/positioned-sink.js';
import { tableRows, type TableRowsOptions } from './table-rows.js';

/** Options of {@link tableSink}: where (warehouse, group), which table and how a record becomes its row. */
export interface TableSinkOptions<T, R extends TableSpec> extends TableRowsOptions<T, R>, Omit<PositionedSinkOptions<Decoded<T>>, 'rows'> {}

/**
 * An exactly-once sink of your own records into one table, with their dead
 * letters beside it: {@link tableRows} (rows by name, checked against the
 * table, refused ones to the dead letters) under a `positionedSink` (rows and
 * the group's positions in one transaction; replays dropped). Call
 * `resume(topic)` before loading so that records already loaded are dropped.
 *
 * @example
 * ```ts
 * import { column, deadLetterTable, defineTable, tableSink, type Warehouse } from '@sneakpipe/core';
 *
 * declare const warehouse: Warehouse;
 * const VISITS = defineTable({ name: 'VISITS', description: 'Visits.', columns: [column('URL', 'text')] });
 * const sink = tableSink({
 *   warehouse,
 *   group: 'visits',
 *   table: VISITS,
 *   deadLetters: deadLetterTable('VISIT_REJECTS'),
 *   row: (visit: { url: string }) => ({ URL: visit.url }),
 * });
 * await sink.resume('visits');
 * ```
 */
export function tableSink<T, R extends TableSpec>(options: TableSinkOptions<T, R>): PositionedSink<Decoded<T>> {
  return positionedSink<Decoded<T> & { readonly position?: RecordPosition | undefined }>({ ...options, rows: tableRows(options) });
}
