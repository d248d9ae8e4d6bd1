import { markOutcome } from '../contracts/record-outcome.js';
import type { Decoded, DeadLetter, ValidRecord } from '../contracts/records.js';
import type { TableRows, TableSpec, WarehouseRow } from '../contracts/tables.js';
import { SneakpipeError } from '../errors/sneakpipe-error.js';
import { deadLetterRow, type DeadLetterTable } from './dead-letter-table.js';
import { RowRejectedError, rowEncoder } from './row-encoder.js';
import type { RowOf } from './row-of.js';

/** Options of {@link tableRows}. */
export interface TableRowsOptions<T, R extends TableSpec> {
  /** The table valid records go to. */
  table: R;
  /** A valid record's row, by column name; checked against the table, never coerced. */
  row: (value: T, record: ValidRecord<T>) => RowOf<R>;
  /** Where records that fail decoding, or whose row the table refuses, go (see `deadLetterTable`). */
  deadLetters: DeadLetterTable;
  /**
   * Rows refused one after the other before the mapping itself is judged
   * wrong and the pipeline stops (`ROW_MAPPING`). Default 100: a wrong mapping
   * refuses every row, bad data only some.
   */
  maxConsecutiveRejects?: number;
  /** Called for each record whose row the table refused (it goes to the dead letters). */
  onRejected?: (deadLetter: DeadLetter) => void;
}

/**
 * The row mapping refuses every row: a column misnamed, a value of the wrong
 * type for all records. Code `ROW_MAPPING`, not retriable: the pipeline stops
 * with the table, the column and the value of the last refusal, instead of
 * sending every record to the dead letters.
 */
export class RowMappingError extends SneakpipeError {
  override readonly name: string = 'RowMappingError';
  constructor(
    readonly refused: number,
    readonly last: RowRejectedError,
  ) {
    super('ROW_MAPPING', `the row mapping is wrong: ${refused} rows in a row refused, the last: ${last.message}`, {
      retriable: false,
      cause: last,
    });
  }
}

const encoder = new TextEncoder();

/** A batch's records as rows of the table (its extras cells as the row gave them) and dead letters; the extras object of each row when asked. */
interface SplitRows {
  rows: WarehouseRow[];
  /** Per row, when `extrasColumn` is given: the row's value there if it is a plain object. */
  extras: (Record<string, unknown> | undefined)[];
  dead: WarehouseRow[];
}

/**
 * The `rows` of a `positionedSink` for records of your own: each valid
 * record's row (an object keyed by column, typed from the table) is checked
 * and goes to `table`; a record that failed decoding, or whose row does not
 * fit the table (a fraction in an integer column, `null` in a NOT NULL one, a
 * string where a number belongs, a missing or unknown column), goes to
 * `deadLetters` with a reason naming table, column and value — in the same
 * transaction, so nothing is lost and nothing is loaded twice. When
 * `maxConsecutiveRejects` rows in a row are refused, the mapping itself is
 * wrong: the write fails with a {@link RowMappingError}, which is not
 * retried, and the pipeline stops.
 *
 * @example
 * ```ts
 * import { column, deadLetterTable, defineTable, positionedSink, tableRows, type Warehouse } from '@sneakpipe/core';
 *
 * declare const warehouse: Warehouse;
 * type Visit = { url: string; seconds: number };
 * const VISITS = defineTable({ name: 'VISITS', description: 'Visits.', columns: [column('URL', 'text'), column('SECONDS', 'integer')] });
 * const VISIT_REJECTS = deadLetterTable('VISIT_REJECTS');
 *
 * const sink = positionedSink({
 *   warehouse,
 *   group: 'visits',
 *   rows: tableRows({ table: VISITS, deadLetters: VISIT_REJECTS, row: (v: Visit) => ({ URL: v.url, SECONDS: v.seconds }) }),
 * });
 * ```
 */
export function tableRows<T, R extends TableSpec>(options: TableRowsOptions<T, R>): (items: readonly Decoded<T>[]) => TableRows[] {
  const split = rowSplitter(options);
  return (items) => {
    const { rows, dead } = split(items);
    return [
      { table: options.table, rows },
      { table: options.deadLetters, rows: dead },
    ];
  };
}

/**
 * {@link tableRows}' work, apart: valid records' rows (checked, refused ones
 * to the dead letters, a wrong mapping stopped) and, with `extrasColumn`, the
 * object each row gave there (for schema evolution, which splits it).
 */
export function rowSplitter<T, R extends TableSpec>(
  options: TableRowsOptions<T, R>,
  extrasColumn?: string,
): (items: readonly Decoded<T>[]) => SplitRows {
  const encode = rowEncoder(options.table);
  const maxRejects = options.maxConsecutiveRejects ?? 100;
  let consecutive = 0;
  return (items) => {
    const rows: WarehouseRow[] = [];
    const extras: (Record<string, unknown> | undefined)[] = [];
    const dead: WarehouseRow[] = [];
    for (const item of items) {
      if (!item.ok) {
        dead.push(deadLetterRow(item));
        continue;
      }
      try {
        const named = options.row(item.value, item);
        rows.push(encode(named));
        if (extrasColumn !== undefined) extras.push(plainObject((named as Record<string, unknown>)[extrasColumn]));
        consecutive = 0;
      } catch (error) {
        const rejected = error instanceof RowRejectedError ? error : mappingThrew(options.table, error);
        if (++consecutive >= maxRejects) throw new RowMappingError(consecutive, rejected);
        markOutcome(item, 'dead-letter');
        const deadLetter = rejectedRecord(item, rejected);
        options.onRejected?.(deadLetter);
        dead.push(deadLetterRow(deadLetter));
      }
    }
    return { rows, extras, dead };
  };
}

/** The value if it is a plain object (fields by name), else `undefined`. */
function plainObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The row function itself threw: the record goes to the dead letters with what it said. */
function mappingThrew(table: TableSpec, error: unknown): RowRejectedError {
  return new RowRejectedError(table.name, '(row)', `the row mapping threw: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * A valid record whose row was refused, as a dead letter. Its bytes are the
 * decoded record as JSON: keeping every record's original bytes until its
 * batch is loaded would hold the source's fetch buffers (tens of MB) for the
 * rare record a table refuses.
 */
function rejectedRecord<T>(record: ValidRecord<T>, error: RowRejectedError): DeadLetter {
  return {
    ok: false,
    reason: error.message,
    raw: encoder.encode(JSON.stringify(record.value) ?? 'null'),
    sizeBytes: record.sizeBytes,
    failedAt: Date.now(),
    ...(record.position ? { position: record.position } : {}),
  };
}
