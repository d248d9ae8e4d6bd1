import type { ColumnSpec, ColumnType, TableSpec, WarehouseRow } from '../contracts/tables.js';
import { loadedColumns } from '../contracts/tables.js';
import { SneakpipeError } from '../errors/sneakpipe-error.js';
import type { RowOf } from './row-of.js';

type Cell = WarehouseRow[number];

/**
 * A named row that does not fit its table: a value of the wrong type, a
 * fraction in a whole-number column, `null` in a NOT NULL column, a missing or
 * unknown column, an unreadable timestamp. Code `ROW_REJECTED`, not retriable:
 * the same row is refused again. `tableRows` turns it into a dead letter.
 */
export class RowRejectedError extends SneakpipeError {
  override readonly name: string = 'RowRejectedError';
  constructor(
    readonly table: string,
    readonly column: string,
    readonly problem: string,
  ) {
    super('ROW_REJECTED', `${table}.${column}: ${problem}`, { retriable: false });
  }
}

/** A value for a message: short, and its type visible (`"12"` is a string, `12` a number). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`;
  if (value instanceof Uint8Array) return `${value.byteLength} bytes`;
  // JSON.stringify writes these as null: the message would name the wrong value.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const INT32_MAX = 2_147_483_647;
const MONEY_MAX = 99_999_999.99; // DECIMAL(10,2), the money type on every warehouse
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Returns the cell for a value of the column's type, or a sentence saying why it does not fit. */
type Convert = (value: unknown) => Cell | Refusal;
/** Why a value does not fit its column (see `CONVERT`). */
export class Refusal {
  constructor(readonly problem: string) {}
}
const refuse = (value: unknown, wanted: string) => new Refusal(`${describeValue(value)} is not ${wanted}`);

/** Per column type: the cell of a value that fits it as it is, or a {@link Refusal}. Nothing is coerced. */
export const CONVERT: Record<ColumnType, Convert> = {
  text: (v) => (typeof v === 'string' ? v : refuse(v, 'a string')),
  integer: (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= -INT32_MAX - 1 && v <= INT32_MAX ? v : refuse(v, 'a 32-bit integer'),
  bigint: (v) =>
    typeof v === 'number' && Number.isSafeInteger(v)
      ? v
      : typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(v)
        : refuse(v, 'a safe integer (|n| < 2^53)'),
  money: (v) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > MONEY_MAX) return refuse(v, 'an amount below 10^8');
    // Cents must be whole, up to floating-point noise (19.99 * 3 is 59.970000000000006).
    const cents = v * 100;
    return Math.abs(cents - Math.round(cents)) < 1e-6 ? v : refuse(v, 'an amount with at most 2 decimals');
  },
  // NaN and ±Infinity: no JSON form (a dead letter's record could not say them) and not comparable, so not loaded.
  double: (v) =>
    typeof v === 'number' && Number.isFinite(v)
      ? v
      : refuse(v, typeof v === 'number' ? 'a finite number (NaN and ±Infinity are not stored)' : 'a number'),
  boolean: (v) => (typeof v === 'boolean' ? v : refuse(v, 'a boolean (true or false)')),
  timestamp: (v) => {
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? refuse(v, 'a valid date') : v.getTime();
    if (typeof v === 'number') return Number.isFinite(v) ? v : refuse(v, 'a time in ms since epoch');
    if (typeof v !== 'string') return refuse(v, 'a timestamp (Date, ms since epoch or ISO 8601 text)');
    const match = ISO_DATE.exec(v);
    // No offset: UTC, whatever the process's time zone (Date.parse would read it as local time).
    const ms = match ? Date.parse(match[1] ? v.replace(' ', 'T') : `${v.replace(' ', 'T')}${v.length > 10 ? 'Z' : ''}`) : NaN;
    return Number.isNaN(ms) ? refuse(v, 'an ISO 8601 timestamp') : ms;
  },
  binary: (v) => (v instanceof Uint8Array ? v : refuse(v, 'bytes (Uint8Array)')),
  json: (v) => {
    let text: string | undefined;
    try {
      text = JSON.stringify(v);
    } catch {
      text = undefined;
    }
    return text === undefined ? refuse(v, 'a JSON value') : text;
  },
};

/** Turns a named row of a table into the positional row connectors load. */
export type RowEncoder<T extends TableSpec> = (row: RowOf<T>) => WarehouseRow;

/**
 * Compiles the check and conversion of a table's named rows: each value must
 * fit its column as it is (see `ColumnValues`); nothing is coerced. The
 * encoder returns the row in {@link loadedColumns} order, or throws a
 * {@link RowRejectedError} naming table, column and value.
 *
 * @example
 * ```ts
 * import { column, defineTable, rowEncoder } from '@sneakpipe/core';
 *
 * const T = defineTable({ name: 'T', description: 'Example.', columns: [column('N', 'integer')] });
 * rowEncoder(T)({ N: 3 }); // [3]
 * rowEncoder(T)({ N: 1.5 }); // throws ROW_REJECTED: T.N: 1.5 is not a 32-bit integer
 * ```
 */
export function rowEncoder<T extends TableSpec>(table: T): RowEncoder<T> {
  const columns = loadedColumns(table);
  const names = columns.map((c) => c.name);
  const known = new Set(names);
  const converts = columns.map((c) => CONVERT[c.type]);
  const filledByWarehouse = new Set(table.columns.filter((c) => c.default === 'now').map((c) => c.name));
  return (row) => {
    const values = row as Record<string, unknown>;
    const out = new Array<Cell>(columns.length);
    let present = 0;
    for (let i = 0; i < columns.length; i++) {
      const value = values[names[i]!];
      if (value === undefined || value === null) {
        if (!columns[i]!.nullable) throw missing(table, columns[i]!, value, values);
        if (value === null) present++;
        out[i] = null;
        continue;
      }
      present++;
      const cell = converts[i]!(value);
      if (cell instanceof Refusal) throw new RowRejectedError(table.name, names[i]!, cell.problem);
      out[i] = cell;
    }
    // Keys beyond the columns: only counted here (the common case costs one loop over the keys); named when found.
    let keys = 0;
    for (const key in values) if (values[key] !== undefined) keys++;
    if (keys !== present) {
      const unknown = Object.keys(values).find((key) => values[key] !== undefined && !known.has(key))!;
      throw new RowRejectedError(
        table.name,
        unknown,
        filledByWarehouse.has(unknown)
          ? 'is filled by the warehouse (default now): leave it out of the row'
          : `no such column (columns: ${names.join(', ')})`,
      );
    }
    return out;
  };
}

function missing(table: TableSpec, column: ColumnSpec, value: unknown, row: Record<string, unknown>): RowRejectedError {
  const problem =
    value === null
      ? 'null in a NOT NULL column (declare it { nullable: true } if it may be empty)'
      : column.name in row
        ? 'undefined in a NOT NULL column'
        : 'missing (NOT NULL column)';
  return new RowRejectedError(table.name, column.name, problem);
}
