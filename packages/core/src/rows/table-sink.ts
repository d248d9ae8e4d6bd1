import type { Decoded, RecordPosition } from '../contracts/records.js';
import type { TableSpec } from '../contracts/tables.js';
import type { Warehouse } from '../contracts/warehouse.js';
import { sinkSchemaEvolution, type SchemaEvolutionSettings, type SinkWarehouse } from '../evolution/schema-evolution.js';
import { positionedSink, type PositionedSink, type PositionedSinkOptions } from '../positions/positioned-sink.js';
import { rowSplitter, tableRows, type TableRowsOptions } from './table-rows.js';

/** Options of {@link tableSink}: where (warehouse, group), which table and how a record becomes its row. */
export interface TableSinkOptions<T, R extends TableSpec>
  extends TableRowsOptions<T, R>, Omit<PositionedSinkOptions<Decoded<T>>, 'rows' | 'warehouse'> {
  /** Where rows and positions go; with `schemaEvolution`, also `addColumns`, `query` and `table`. */
  warehouse: Pick<Warehouse, 'append' | 'positions'> & SinkWarehouse;
  /**
   * Fields the table does not know become columns (see `schemaEvolution`):
   * the row puts the record's other fields, as an object, in the table's
   * `EXTRA_FIELDS` column (or `extrasColumn`), and each that can be a column
   * goes to one, added before the load. The warehouse must have
   * `SCHEMA_CHANGES` among its tables. Default off.
   */
  schemaEvolution?: boolean | SchemaEvolutionSettings;
}

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
 *
 * With schema evolution, new fields become columns:
 *
 * ```ts
 * import { SCHEMA_CHANGES, column, deadLetterTable, defineTable, tableSink, type Warehouse } from '@sneakpipe/core';
 *
 * declare const warehouse: Warehouse; // opened with [VISITS, VISIT_REJECTS, SCHEMA_CHANGES]
 * const VISITS = defineTable({
 *   name: 'VISITS',
 *   description: 'Visits.',
 *   columns: [column('URL', 'text'), column('QUALITY_FLAGS', 'text', { nullable: true }), column('EXTRA_FIELDS', 'json', { nullable: true })],
 * });
 * const sink = tableSink({
 *   warehouse,
 *   group: 'visits',
 *   table: VISITS,
 *   deadLetters: deadLetterTable('VISIT_REJECTS'),
 *   row: ({ url, ...other }: { url: string } & Record<string, unknown>) => ({ URL: url, EXTRA_FIELDS: other }),
 *   schemaEvolution: true, // { referrer: 'news' } in a record: VISITS gains REFERRER (text)
 * });
 * ```
 */
export function tableSink<T, R extends TableSpec>(options: TableSinkOptions<T, R>): PositionedSink<Decoded<T>> {
  const evolution = sinkSchemaEvolution(options.schemaEvolution, options);
  if (!evolution)
    return positionedSink<Decoded<T> & { readonly position?: RecordPosition | undefined }>({ ...options, rows: tableRows(options) });
  const split = rowSplitter(options, evolution.extrasColumn);
  return positionedSink<Decoded<T> & { readonly position?: RecordPosition | undefined }>({
    ...options,
    rows: async (items) => {
      const { rows, extras, dead } = split(items);
      return [...(await evolution.complete(rows, extras)), { table: options.deadLetters, rows: dead }];
    },
  });
}
