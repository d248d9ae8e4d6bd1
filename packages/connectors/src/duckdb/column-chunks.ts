import ddb, { type Vector } from '@duckdb/node-bindings';
import {
  BIGINT,
  BLOB,
  BOOLEAN,
  DECIMAL,
  DOUBLE,
  DuckDBDataChunk,
  INTEGER,
  TIMESTAMP,
  VARCHAR,
  type DuckDBAppender,
  type DuckDBType,
} from '@duckdb/node-api';
import type { ColumnType } from '@sneakpipe/core';
import { VALUE_BYTES, type EncodedColumn, type EncodedColumns } from './column-encoding.js';

/** DuckDB's vector size: the most rows one data chunk holds. */
export const CHUNK_ROWS = 2048;

/** The staging type of each logical type: the target's own type (`json`: text, cast on insert). */
export const STAGING_TYPES: Record<ColumnType, DuckDBType> = {
  text: VARCHAR,
  binary: BLOB,
  json: VARCHAR,
  integer: INTEGER,
  bigint: BIGINT,
  money: DECIMAL(10, 2),
  double: DOUBLE,
  boolean: BOOLEAN,
  timestamp: TIMESTAMP,
};

/** A column of a {@link ColumnChunkWriter}'s chunks: its type, and whether it holds one value for every row (a load time) instead of a row's. */
export interface ChunkColumn {
  readonly type: ColumnType;
  readonly constant?: boolean;
}

/**
 * Appends {@link EncodedColumns} to a DuckDB appender in data chunks (2,048
 * rows, DuckDB's vector size) of the columns' DuckDB types (`money`:
 * `DECIMAL(10,2)`, `json`: text, cast on insert): each column's memory is
 * copied into its vector with one call per chunk, and only the strings that
 * are not inline cost a call each. The second half of a fast DuckDB load, as
 * {@link DuckDbWarehouse} makes it; see {@link encodeColumns} for the whole.
 *
 * A column may be `constant`: one value for every row (a load time, given to
 * {@link ColumnChunkWriter.append}), not encoded. The encoded columns are the
 * columns that are not constant, in order.
 *
 * @example
 * ```ts
 * import type { DuckDBAppender } from '@duckdb/node-api';
 * import { ColumnChunkWriter, encodeColumns } from '@sneakpipe/connectors/duckdb';
 *
 * declare const appender: DuckDBAppender; // on a table (ORDER_ID VARCHAR, AMOUNT DECIMAL(10,2), LOADED_AT TIMESTAMP)
 * const writer = new ColumnChunkWriter(['text', 'money', { type: 'timestamp', constant: true }]);
 * writer.append(appender, encodeColumns(['text', 'money'], [['o-1', 12.5]]), Date.now() * 1000);
 * appender.flushSync();
 * ```
 */
export class ColumnChunkWriter {
  private readonly columns: readonly ChunkColumn[];
  private readonly duckTypes: DuckDBType[];
  /** A constant column's values, one chunk's worth (int64 halves). */
  private readonly constantScratch = new Uint32Array(2 * CHUNK_ROWS);

  /** @param columns the table's columns, in order: a type, or a {@link ChunkColumn} to mark one constant. */
  constructor(columns: readonly (ColumnType | ChunkColumn)[]) {
    this.columns = columns.map((c) => (typeof c === 'string' ? { type: c } : c));
    this.duckTypes = this.columns.map((c) => STAGING_TYPES[c.type]);
  }

  /** Appends all rows (no flush: the caller flushes once); `constantMicros` (µs since epoch) fills the constant columns. */
  append(appender: DuckDBAppender, encoded: EncodedColumns, constantMicros = 0): void {
    const micros = constantMicros;
    const high = Math.floor(micros / 4_294_967_296);
    for (let i = 0; i < CHUNK_ROWS; i++) {
      this.constantScratch[2 * i] = micros - high * 4_294_967_296;
      this.constantScratch[2 * i + 1] = high >>> 0;
    }
    /** Per encoded column, how many of its long values are written so far. */
    const longDone = encoded.columns.map(() => 0);
    for (let start = 0; start < encoded.count; start += CHUNK_ROWS) {
      const count = Math.min(CHUNK_ROWS, encoded.count - start);
      const chunk = DuckDBDataChunk.create(this.duckTypes, count);
      let e = 0;
      for (let c = 0; c < this.columns.length; c++) {
        const vector = ddb.data_chunk_get_vector(chunk.chunk, c);
        if (this.columns[c]!.constant) ddb.copy_data_to_vector(vector, 0, this.constantScratch.buffer, 0, count * 8);
        else {
          longDone[e] = writeVector(vector, encoded.columns[e]!, start, count, longDone[e]!);
          e++;
        }
      }
      appender.appendDataChunk(chunk);
    }
  }
}

/** Copies rows [start, start + count) of a column into a vector; returns how many of its long values are written. */
function writeVector(vector: Vector, column: EncodedColumn, start: number, count: number, longDone: number): number {
  const width = VALUE_BYTES[column.type];
  ddb.copy_data_to_vector(vector, 0, column.data.buffer as ArrayBuffer, column.data.byteOffset + start * width, count * width);
  const { longRows, longEnds, longBytes } = column;
  if (longRows && longEnds && longBytes) {
    const end = start + count;
    for (; longDone < longRows.length && longRows[longDone]! < end; longDone++) {
      const from = longDone === 0 ? 0 : longEnds[longDone - 1]!;
      ddb.vector_assign_string_element_len(vector, longRows[longDone]! - start, longBytes.subarray(from, longEnds[longDone]!));
    }
  }
  if (column.validity) {
    ddb.vector_ensure_validity_writable(vector);
    // Chunks start at multiples of 2,048 rows: their masks start on whole 8-byte words.
    ddb.copy_data_to_vector_validity(
      vector,
      0,
      column.validity.buffer as ArrayBuffer,
      column.validity.byteOffset + start / 8,
      Math.ceil(count / 64) * 8,
    );
  }
  return longDone;
}
