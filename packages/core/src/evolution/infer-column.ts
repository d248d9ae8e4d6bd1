import type { ColumnType, WarehouseRow } from '../contracts/tables.js';
import { CONVERT, Refusal } from '../rows/row-encoder.js';

type Cell = WarehouseRow[number];

/**
 * An ISO 8601 date-time with an offset (`Z`, `+02:00`), to the millisecond at
 * most: the only text read as a timestamp (finer digits would be lost).
 */
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** Epoch ms of an ISO date-time with an offset; NaN for any other text, and for a date the calendar has not (`02-30`). */
function isoWithOffsetMs(text: string): number {
  const m = ISO_WITH_OFFSET.exec(text);
  if (!m) return NaN;
  const [year, month, day, hour, minute, second = 0] = m
    .slice(1, 7)
    .map((part) => (part === undefined ? undefined : Number(part))) as number[];
  // Date.parse rolls 2026-02-30 over to March 2: a value changed without a word.
  const days = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (month! < 1 || month! > 12 || day! < 1 || day! > days || hour! > 23 || minute! > 59 || second > 59) return NaN;
  return Date.parse(text);
}

/**
 * The column type a field's JSON value asks for, conservatively: a boolean is
 * `boolean`; a whole number that a double holds exactly is `bigint`, any other
 * number `double` (JSON numbers are parsed as 64-bit floats, so a DOUBLE keeps
 * exactly what was received); text that is an ISO 8601 date-time with an
 * offset is `timestamp`, other text `text`; objects and arrays are `json`.
 * `null` asks for nothing: the field waits for a value.
 *
 * @example
 * ```ts
 * import { inferColumnType } from '@sneakpipe/core';
 *
 * inferColumnType('WELCOME10'); // 'text'
 * inferColumnType('2026-12-07T10:00:00+01:00'); // 'timestamp'
 * inferColumnType('2026-12-07T10:00:00'); // 'text': no offset, so no time zone to read it in
 * inferColumnType(42); // 'bigint'
 * inferColumnType(4.5); // 'double'
 * inferColumnType({ code: 'X' }); // 'json'
 * ```
 */
export function inferColumnType(value: unknown): ColumnType | undefined {
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isSafeInteger(value) ? 'bigint' : 'double';
    case 'string':
      return isoWithOffsetMs(value) === isoWithOffsetMs(value) ? 'timestamp' : 'text';
    case 'object':
      return value === null ? undefined : 'json';
    default:
      return undefined;
  }
}

/** What {@link evolvedCell} returns for a value its column's type cannot hold as it is. */
export const CLASH: unique symbol = Symbol('clash');

/**
 * The cell of a field's JSON value (not `null`) in an added column of type
 * `type`, or {@link CLASH} when the value does not fit as it is. Nothing is
 * coerced: a string in a `bigint` column, a fraction in a whole-number column,
 * a number in a `text` column clash. Stricter than a row by name (`rowEncoder`)
 * where they differ: a `timestamp` column takes only text that is an ISO
 * date-time with an offset (not a number, not a time without its zone); a
 * `binary` column takes nothing JSON can say. A `json` column takes any value.
 */
export function evolvedCell(type: ColumnType, value: unknown): Cell | typeof CLASH {
  if (type === 'timestamp') {
    const ms = typeof value === 'string' ? isoWithOffsetMs(value) : NaN;
    return ms === ms ? ms : CLASH;
  }
  if (type === 'binary') return CLASH;
  const cell = CONVERT[type](value);
  return cell instanceof Refusal ? CLASH : cell;
}
