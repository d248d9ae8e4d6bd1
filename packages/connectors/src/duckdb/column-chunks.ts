import ddb, { type Vector } from '@duckdb/node-bindings';
import {
  BIGINT,
  BLOB,
  DECIMAL,
  DuckDBDataChunk,
  INTEGER,
  TIMESTAMP,
  VARCHAR,
  type DuckDBAppender,
  type DuckDBType,
} from '@duckdb/node-api';
import { SneakpipeError, type ColumnType, type WarehouseRow } from '@sneakpipe/core';

/*
 * Rows into DuckDB data chunks, one column at a time, by writing each vector's
 * memory in bulk: numbers go into a typed array copied with one call per
 * column, and strings of up to 12 ASCII bytes are written inline (DuckDB's
 * `string_t`: 4 bytes of length, 12 of data), so only longer or non-ASCII
 * strings cost a call into DuckDB each. Building a DuckDB value object per
 * cell (node-api's vectors and `setColumns`) was most of a load's JavaScript.
 * Values are converted as DuckDB's casts from DOUBLE would (same rounding,
 * refusing what does not fit), which is what the staging tables did before.
 */

/** DuckDB's vector size: the most rows one data chunk holds. */
export const CHUNK_ROWS = 2048;
const STRING_T = 16;
const INLINE_MAX = 12;
const TWO_32 = 4_294_967_296;

/** The staging type of each logical type: the target's own type (`json`: text, cast on insert). */
export const STAGING_TYPES: Record<ColumnType, DuckDBType> = {
  text: VARCHAR,
  binary: BLOB,
  json: VARCHAR,
  integer: INTEGER,
  bigint: BIGINT,
  money: DECIMAL(10, 2),
  timestamp: TIMESTAMP,
};

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

/** Scratch memory for one column of one chunk, reused from chunk to chunk. */
class ColumnScratch {
  readonly bytes = new Uint8Array(CHUNK_ROWS * STRING_T);
  readonly words = new Uint32Array(this.bytes.buffer);
  readonly ints = new Int32Array(this.bytes.buffer);
  /** One bit per row, set when the row's value is not null (DuckDB's validity mask). */
  readonly validity = new Uint32Array(CHUNK_ROWS / 32);
}

/** A column of the chunks: its type, and whether it holds one value for every row (a load time) instead of a row's. */
export interface ChunkColumn {
  readonly type: ColumnType;
  readonly constant?: boolean;
}

/**
 * Appends rows to an appender in data chunks whose column types are
 * {@link STAGING_TYPES} of the columns' types. Rows hold the values of the
 * columns that are not constant, in order.
 */
export class ColumnChunkWriter {
  private readonly columns: readonly ChunkColumn[];
  private readonly duckTypes: DuckDBType[];
  private readonly scratch: ColumnScratch[];
  /** Per column, its index in a row (-1: constant). */
  private readonly rowIndex: number[];

  constructor(columns: readonly (ColumnType | ChunkColumn)[]) {
    this.columns = columns.map((c) => (typeof c === 'string' ? { type: c } : c));
    this.duckTypes = this.columns.map((c) => STAGING_TYPES[c.type]);
    this.scratch = this.columns.map(() => new ColumnScratch());
    let next = 0;
    this.rowIndex = this.columns.map((c) => (c.constant ? -1 : next++));
  }

  /** Appends all rows (no flush: the caller flushes once); `constant` fills the constant columns. */
  append(appender: DuckDBAppender, rows: readonly WarehouseRow[], constant: Cell = null): void {
    const one: WarehouseRow[] = [[constant]];
    for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
      const count = Math.min(CHUNK_ROWS, rows.length - start);
      const chunk = DuckDBDataChunk.create(this.duckTypes, count);
      for (let c = 0; c < this.columns.length; c++) {
        const vector = ddb.data_chunk_get_vector(chunk.chunk, c);
        const at = this.rowIndex[c]!;
        // A constant column: its value written once per row from a one-row, one-column table.
        if (at < 0)
          this.writeColumn(vector, this.columns[c]!.type, this.scratch[c]!, new Array<WarehouseRow>(count).fill(one[0]!), 0, count, 0);
        else this.writeColumn(vector, this.columns[c]!.type, this.scratch[c]!, rows, start, count, at);
      }
      appender.appendDataChunk(chunk);
    }
  }

  private writeColumn(
    vector: Vector,
    type: ColumnType,
    s: ColumnScratch,
    rows: readonly WarehouseRow[],
    start: number,
    count: number,
    c: number,
  ): void {
    const validity = s.validity;
    validity.fill(0xffffffff);
    let nulls = false;
    const isNull = (row: number) => {
      validity[row >>> 5]! &= ~(1 << (row & 31));
      nulls = true;
    };
    switch (type) {
      case 'text':
      case 'json':
      case 'binary': {
        const bytes = s.bytes;
        const words = s.words;
        bytes.fill(0, 0, count * STRING_T);
        // Strings DuckDB must copy into its own heap, assigned after the bulk copy.
        let long: number[] | undefined;
        for (let i = 0; i < count; i++) {
          const v = rows[start + i]![c];
          if (v == null) isNull(i);
          else if (typeof v === 'string' && !writeInline(v, bytes, words, i)) (long ??= []).push(i);
          else if (typeof v !== 'string') (long ??= []).push(i);
        }
        ddb.copy_data_to_vector(vector, 0, bytes.buffer, 0, count * STRING_T);
        if (long) {
          for (const i of long) {
            const v = rows[start + i]![c]!;
            if (v instanceof Uint8Array) ddb.vector_assign_string_element_len(vector, i, v);
            else ddb.vector_assign_string_element(vector, i, v as string);
          }
        }
        break;
      }
      case 'integer': {
        const ints = s.ints;
        for (let i = 0; i < count; i++) {
          const v = rows[start + i]![c];
          if (v == null) {
            isNull(i);
            ints[i] = 0;
          } else ints[i] = wholeNumber(v, 1, -2_147_483_648, 2_147_483_647, 'INTEGER');
        }
        ddb.copy_data_to_vector(vector, 0, s.bytes.buffer, 0, count * 4);
        break;
      }
      case 'bigint':
      case 'money':
      case 'timestamp': {
        // int64 values (BIGINT; DECIMAL(10,2) in cents; TIMESTAMP in µs), written as two 32-bit halves: exact for
        // every whole double, with no BigInt per value.
        const scale = type === 'money' ? 100 : type === 'timestamp' ? 1000 : 1;
        const limit = type === 'money' ? 9_999_999_999 : 9_223_372_036_854_775_000;
        const what = type === 'money' ? 'DECIMAL(10,2)' : type === 'timestamp' ? 'TIMESTAMP (ms)' : 'BIGINT';
        const words = s.words;
        const ints = s.ints;
        for (let i = 0; i < count; i++) {
          const v = rows[start + i]![c];
          if (v == null) {
            isNull(i);
            words[2 * i] = 0;
            ints[2 * i + 1] = 0;
            continue;
          }
          const n = wholeNumber(v, scale, -limit, limit, what);
          const high = Math.floor(n / TWO_32);
          words[2 * i] = n - high * TWO_32;
          ints[2 * i + 1] = high;
        }
        ddb.copy_data_to_vector(vector, 0, s.bytes.buffer, 0, count * 8);
        break;
      }
    }
    if (nulls) {
      ddb.vector_ensure_validity_writable(vector);
      ddb.copy_data_to_vector_validity(vector, 0, validity.buffer, 0, Math.ceil(count / 64) * 8);
    }
  }
}

/**
 * Writes `value` inline into the `string_t` at `row` when it is at most 12
 * ASCII characters (none of them NUL, which DuckDB's C string call would cut
 * at); `false` when DuckDB has to copy it.
 */
function writeInline(value: string, bytes: Uint8Array, words: Uint32Array, row: number): boolean {
  const n = value.length;
  if (n > INLINE_MAX) return false;
  const at = row * STRING_T + 4;
  for (let k = 0; k < n; k++) {
    const code = value.charCodeAt(k);
    if (code === 0 || code > 0x7f) return false;
    bytes[at + k] = code;
  }
  words[row * 4] = n;
  return true;
}
