import { Buffer } from 'node:buffer';
import { SneakpipeError, type ColumnType, type WarehouseRow } from '@sneakpipe/core';
import { rejectedValue } from '../sql/rejected-value.js';

/*
 * Rows into the memory layout of DuckDB's vectors, one column at a time, in
 * plain buffers that can move to DuckDB's thread without a copy: numbers as
 * the column's fixed-width values, strings as DuckDB's `string_t` (4 bytes of
 * length, 12 of data: strings of up to 12 ASCII bytes are written inline) with
 * the longer ones as UTF-8 beside it, and a validity mask when a value is
 * null. Building a DuckDB value object per cell (node-api's vectors and
 * `setColumns`) was most of a load's JavaScript. Values are converted as
 * DuckDB's casts from DOUBLE would (same rounding, refusing what does not
 * fit), which is what the staging tables did before. Doubles are written as
 * they are (float64), booleans as one byte (0 or 1, DuckDB's `bool`); a
 * boolean column takes only `true` and `false`, and a double column only
 * finite numbers, as on Snowflake.
 */

/** Bytes of one value in a vector of each type (`string_t` for text, JSON and bytes). */
export const VALUE_BYTES: Record<ColumnType, number> = {
  text: 16,
  json: 16,
  binary: 16,
  integer: 4,
  bigint: 8,
  money: 8,
  double: 8,
  boolean: 1,
  timestamp: 8,
};
const INLINE_MAX = 12;
const TWO_32 = 4_294_967_296;

/** One column of {@link EncodedColumns}. */
export interface EncodedColumn {
  readonly type: ColumnType;
  /** The vector's memory: the type's fixed width per row (16 bytes of `string_t` for text, JSON and bytes). */
  readonly data: Uint8Array;
  /** One bit per row, set when the value is not null (DuckDB's validity mask); absent when none is null. */
  readonly validity?: Uint32Array;
  /** Values DuckDB must copy (longer than 12 bytes, not ASCII, or bytes): their rows, ascending. */
  readonly longRows?: Int32Array;
  /** Where each of them ends in `longBytes` (it starts where the previous one ends). */
  readonly longEnds?: Int32Array;
  readonly longBytes?: Uint8Array;
  /** JSON text that `JSON.parse` refused: DuckDB, more lenient, decides (see the warehouse's JSON check). */
  readonly jsonToCheck?: readonly string[];
}

/** Rows as DuckDB vectors' memory, column by column: what {@link encodeColumns} makes and {@link ColumnChunkWriter} appends. */
export interface EncodedColumns {
  readonly count: number;
  readonly columns: readonly EncodedColumn[];
}

type Cell = WarehouseRow[number];

/** DuckDB's `round()`, and its cast from DOUBLE to DECIMAL: half away from zero. */
const roundHalfAway = (x: number) => (x < 0 ? -Math.round(-x) : Math.round(x));
/** DuckDB's cast from DOUBLE to an integer type: half to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function wholeNumber(value: Cell, scale: number, min: number, max: number, what: string): number {
  const x = Number(value) * scale;
  const n = scale === 1 ? roundHalfEven(x) : roundHalfAway(x);
  // Refused as DuckDB's cast refuses it (a Conversion Error, mapped to WAREHOUSE_REJECTED): the same load fails again.
  if (!(n >= min && n <= max))
    throw new SneakpipeError('WAREHOUSE_REJECTED', `cannot load ${String(value)} as ${what}`, { retriable: false });
  return n;
}

/**
 * Encodes `rows` (values of the columns of `types`, in order) as DuckDB's
 * vectors hold them, in plain buffers: the first half of a fast DuckDB load,
 * as {@link DuckDbWarehouse} makes it (a cell at a time through DuckDB's value
 * objects costs most of a load's JavaScript). Numbers are converted as DuckDB's
 * casts from DOUBLE would; throws `WAREHOUSE_REJECTED` for a number its column
 * cannot hold. {@link ColumnChunkWriter} appends the result; it may be built on
 * another thread and moved with {@link encodedBuffers}.
 *
 * @example
 * ```ts
 * import { DuckDBInstance } from '@duckdb/node-api';
 * import { ColumnChunkWriter, createTableSql, encodeColumns } from '@sneakpipe/connectors/duckdb';
 * import { column, loadedColumns, type TableSpec } from '@sneakpipe/core';
 *
 * const ORDERS: TableSpec = { name: 'ORDERS', description: 'One row per order.', columns: [column('ORDER_ID', 'text'), column('AMOUNT', 'money')] };
 * const types = loadedColumns(ORDERS).map((c) => c.type);
 * const connection = await (await DuckDBInstance.create(':memory:')).connect();
 * await connection.run(createTableSql('ORDERS', ORDERS));
 *
 * const encoded = encodeColumns(types, [['o-1', 12.5], ['o-2', 99]]);
 * const appender = await connection.createAppender('ORDERS');
 * new ColumnChunkWriter(types).append(appender, encoded);
 * appender.flushSync();
 * appender.closeSync();
 * ```
 */
export function encodeColumns(types: readonly ColumnType[], rows: readonly WarehouseRow[]): EncodedColumns {
  return { count: rows.length, columns: types.map((type, c) => encodeColumn(type, rows, c)) };
}

/**
 * The buffers of `encoded`, to transfer to another thread rather than copy:
 * rows encoded by a worker thread reach the thread that appends them at no
 * cost.
 *
 * @example
 * ```ts
 * import { parentPort } from 'node:worker_threads';
 * import { encodeColumns, encodedBuffers } from '@sneakpipe/connectors/duckdb';
 *
 * // In a worker thread: encode a batch, hand it to the thread holding the DuckDB connection.
 * const encoded = encodeColumns(['text', 'money'], [['o-1', 12.5]]);
 * parentPort!.postMessage(encoded, encodedBuffers(encoded));
 * ```
 */
export function encodedBuffers(encoded: EncodedColumns): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const c of encoded.columns) {
    for (const view of [c.data, c.validity, c.longRows, c.longEnds, c.longBytes]) if (view) buffers.add(view.buffer as ArrayBuffer);
  }
  return [...buffers];
}

function encodeColumn(type: ColumnType, rows: readonly WarehouseRow[], c: number): EncodedColumn {
  const count = rows.length;
  const data = new Uint8Array(count * VALUE_BYTES[type]);
  let validity: Uint32Array | undefined;
  const isNull = (row: number) => {
    // Whole 64-bit words: DuckDB copies the mask of a chunk in 8-byte steps.
    validity ??= new Uint32Array(Math.ceil(count / 64) * 2).fill(0xffffffff);
    validity[row >>> 5]! &= ~(1 << (row & 31));
  };
  switch (type) {
    case 'text':
    case 'json':
    case 'binary': {
      const words = new Uint32Array(data.buffer);
      const long = new LongValues(count);
      let jsonToCheck: string[] | undefined;
      for (let i = 0; i < count; i++) {
        const v = rows[i]![c];
        if (v == null) isNull(i);
        else if (typeof v === 'string') {
          if (type === 'json' && !parses(v)) (jsonToCheck ??= []).push(v);
          if (!writeInline(v, data, words, i)) long.add(i, v);
        } else long.add(i, v as Uint8Array);
      }
      return { type, data, ...(validity ? { validity } : {}), ...long.columnParts(), ...(jsonToCheck ? { jsonToCheck } : {}) };
    }
    case 'integer': {
      const ints = new Int32Array(data.buffer);
      for (let i = 0; i < count; i++) {
        const v = rows[i]![c];
        if (v == null) isNull(i);
        else ints[i] = wholeNumber(v, 1, -2_147_483_648, 2_147_483_647, 'INTEGER');
      }
      return { type, data, ...(validity ? { validity } : {}) };
    }
    case 'bigint':
    case 'money':
    case 'timestamp': {
      // int64 values (BIGINT; DECIMAL(10,2) in cents; TIMESTAMP in µs), written as two 32-bit halves: exact for
      // every whole double, with no BigInt per value.
      const scale = type === 'money' ? 100 : type === 'timestamp' ? 1000 : 1;
      const limit = type === 'money' ? 9_999_999_999 : 9_223_372_036_854_775_000;
      const what = type === 'money' ? 'DECIMAL(10,2)' : type === 'timestamp' ? 'TIMESTAMP (ms)' : 'BIGINT';
      const words = new Uint32Array(data.buffer);
      const ints = new Int32Array(data.buffer);
      for (let i = 0; i < count; i++) {
        const v = rows[i]![c];
        if (v == null) {
          isNull(i);
          continue;
        }
        const n = wholeNumber(v, scale, -limit, limit, what);
        const high = Math.floor(n / TWO_32);
        words[2 * i] = n - high * TWO_32;
        ints[2 * i + 1] = high;
      }
      return { type, data, ...(validity ? { validity } : {}) };
    }
    case 'double': {
      const doubles = new Float64Array(data.buffer);
      for (let i = 0; i < count; i++) {
        const v = rows[i]![c];
        if (v == null) {
          isNull(i);
          continue;
        }
        const x = Number(v);
        // DuckDB's DOUBLE holds NaN and ±Infinity, Snowflake's FLOAT too, but JSON and the row check do not: refused everywhere alike.
        if (!Number.isFinite(x)) throw rejectedValue(v, 'DOUBLE (finite)');
        doubles[i] = x;
      }
      return { type, data, ...(validity ? { validity } : {}) };
    }
    case 'boolean': {
      // DuckDB's `bool`: one byte, 0 or 1 (any other byte is not a valid value). Null rows stay 0.
      for (let i = 0; i < count; i++) {
        const v = rows[i]![c];
        if (v === true) data[i] = 1;
        else if (v == null) isNull(i);
        // A cast would read "false" or 0 as false, and "no" as an error: only booleans, so both warehouses agree.
        else if (v !== false) throw rejectedValue(v, 'BOOLEAN');
      }
      return { type, data, ...(validity ? { validity } : {}) };
    }
  }
}

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** The values of a column that do not fit inline, as UTF-8 (or as given, for bytes) one after the other. */
class LongValues {
  // At most one value per row: sized once, no array growing per value.
  private readonly rows: Int32Array;
  private readonly ends: Int32Array;
  private count = 0;
  private bytes = Buffer.allocUnsafe(0);
  private size = 0;

  constructor(rowCount: number) {
    this.rows = new Int32Array(rowCount);
    this.ends = new Int32Array(rowCount);
  }

  add(row: number, value: string | Uint8Array): void {
    const most = typeof value === 'string' ? value.length * 3 : value.byteLength;
    if (this.size + most > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(2 * this.bytes.length, this.size + most, 4096));
      this.bytes.copy(grown, 0, 0, this.size);
      this.bytes = grown;
    }
    if (typeof value === 'string') this.size += this.bytes.write(value, this.size, 'utf8');
    else {
      this.bytes.set(value, this.size);
      this.size += value.byteLength;
    }
    this.rows[this.count] = row;
    this.ends[this.count++] = this.size;
  }

  columnParts(): Pick<EncodedColumn, 'longRows' | 'longEnds' | 'longBytes'> {
    if (this.count === 0) return {};
    // Copies of exactly what is used, in buffers of their own: what moves to DuckDB's thread.
    const longBytes = new Uint8Array(this.bytes.subarray(0, this.size));
    return { longRows: this.rows.slice(0, this.count), longEnds: this.ends.slice(0, this.count), longBytes };
  }
}

/**
 * Writes `value` inline into the `string_t` at `row` when it is at most 12
 * ASCII characters (none of them NUL); `false` when DuckDB has to copy it.
 */
function writeInline(value: string, bytes: Uint8Array, words: Uint32Array, row: number): boolean {
  const n = value.length;
  if (n > INLINE_MAX) return false;
  const at = row * 16 + 4;
  for (let k = 0; k < n; k++) {
    const code = value.charCodeAt(k);
    if (code === 0 || code > 0x7f) {
      bytes.fill(0, at, at + k);
      return false;
    }
    bytes[at + k] = code;
  }
  words[row * 4] = n;
  return true;
}
