import type { ColumnSpec, ColumnType, TableSpec } from '../contracts/tables.js';

/**
 * The values a column of each type accepts in a named row (see {@link RowOf}).
 * Nothing is coerced: a value outside these is refused with its column named.
 *
 * - `text`: a string.
 * - `integer`: a whole number in the 32-bit range; `bigint`: a safe integer (or a `bigint` within ±2^53).
 * - `money`: a finite number with at most two decimals (`19.99`), below 10^8 in size.
 * - `double`: any finite number (a 64-bit float; NaN and ±Infinity have no JSON form and are refused).
 * - `boolean`: `true` or `false` (not `"true"`, not `1`).
 * - `timestamp`: a `Date`, epoch milliseconds, or an ISO 8601 string (`2026-12-07T10:00:00Z`;
 *   without an offset it is read as UTC, never as the process's local time).
 * - `binary`: a `Uint8Array` (a `Buffer` is one).
 * - `json`: any value `JSON.stringify` can write (object, array, string, number, boolean).
 */
export interface ColumnValues {
  text: string;
  integer: number;
  bigint: number | bigint;
  money: number;
  double: number;
  boolean: boolean;
  timestamp: Date | number | string;
  binary: Uint8Array;
  json: unknown;
}

/** The value type of one column. */
export type ValueOf<C extends ColumnSpec> = ColumnValues[C['type'] & ColumnType];

type Loaded<C> = C extends { readonly default: 'now' } ? never : C;
type Columns<T extends TableSpec> = Loaded<T['columns'][number]>;
type Required<C> = C extends { readonly nullable: true } ? never : C;
type Optional<C> = C extends { readonly nullable: true } ? C : never;

/**
 * The row of a table as an object keyed by column name, typed from the
 * table's definition (a table built with {@link defineTable}): NOT NULL
 * columns are required keys, nullable ones optional (absent means `null`),
 * and columns the warehouse fills (`default: 'now'`) are not there.
 *
 * @example
 * ```ts
 * import { column, defineTable, type RowOf } from '@sneakpipe/core';
 *
 * const VISITS = defineTable({
 *   name: 'VISITS',
 *   description: 'One row per visit.',
 *   columns: [column('URL', 'text'), column('SECONDS', 'integer', { nullable: true }), column('LOADED_AT', 'timestamp', { default: 'now' })],
 * });
 * const row: RowOf<typeof VISITS> = { URL: '/home', SECONDS: 12 }; // LOADED_AT is the warehouse's
 * ```
 */
export type RowOf<T extends TableSpec> = {
  [C in Required<Columns<T>> as C['name']]: ValueOf<C>;
} & {
  [C in Optional<Columns<T>> as C['name']]?: ValueOf<C> | null;
};
