import { DOUBLE, DuckDBDataChunk, DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { ColumnType, WarehouseRow } from '@sneakpipe/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_ROWS, ColumnChunkWriter, STAGING_TYPES } from './column-chunks.js';
import { encodeColumns } from './column-encoding.js';

const TYPES: ColumnType[] = ['text', 'integer', 'bigint', 'money', 'timestamp', 'binary', 'json', 'boolean', 'double'];

// Strings around the 12-byte inline limit, non-ASCII, NUL, and what JSON.parse hands out.
const TEXTS = ['', 'a', 'Nike', 'abcdefghijkl', 'abcdefghijklm', 'Saint-Étienne', 'Zoë', '日本', 'a\u0000b', '😀', ' x ', 'order_created'];
const MONEY = [0, 0.005, 0.015, 0.125, 0.135, 1.005, 2.675, 149.99, 99_999_999.99, 12.345, 0.1 + 0.2];
const MS = [0, 1.0005, 1.5, 1_735_689_600_000, 1_735_689_600_123.4, 1_735_689_600_123.5, 253_402_300_799_999];
const BIGINTS = [0, 1, -1, 2 ** 32, 2 ** 32 - 1, -(2 ** 32), 2 ** 53 - 1, -(2 ** 53 - 1), 123_456_789_012, 2.5, -2.5];
const INTS = [0, 1, -1, 2_147_483_647, -2_147_483_648, 3.5, -3.5, 42];
// Subnormals, the extremes, negative zero, values with no short decimal form.
const DOUBLES = [0, -0, 0.1, 0.1 + 0.2, -2.5e-300, 1e300, 123456789.123, 5e-324, -Number.MAX_VALUE, Number.MAX_VALUE, 2 ** 53 + 2, Math.PI];

/** A seeded row mixing the edge values and nulls. */
function rowAt(i: number): WarehouseRow {
  const pick = <T>(xs: readonly T[], k: number) => xs[(i * 7 + k * 13) % xs.length]!;
  const nullable = <T>(v: T, k: number) => ((i + k) % 11 === 0 ? null : v);
  return [
    nullable(pick(TEXTS, 1) + (i % 3 === 0 ? String(i) : ''), 1),
    nullable(pick(INTS, 2), 2),
    nullable(pick(BIGINTS, 3), 3),
    nullable(pick(MONEY, 4) + (i % 5 === 0 && pick(MONEY, 4) < 1e6 ? i / 100 : 0), 4),
    nullable(pick(MS, 5), 5),
    nullable(new Uint8Array(Array.from({ length: i % 20 }, (_, k) => (k * 31 + i) & 255)), 6),
    nullable(JSON.stringify({ i, s: pick(TEXTS, 7) }), 7),
    nullable(i % 3 === 1, 8),
    nullable(pick(DOUBLES, 9), 9),
  ];
}

/**
 * What the warehouse loaded before the column writer: numbers staged as
 * DOUBLE, strings and bytes as DuckDB values, then cast by SQL.
 */
const DOUBLE_CASTS: Record<ColumnType, (c: string) => string> = {
  text: (c) => c,
  binary: (c) => c,
  json: (c) => `CAST(${c} AS JSON)`,
  integer: (c) => `CAST(${c} AS INTEGER)`,
  bigint: (c) => `CAST(${c} AS BIGINT)`,
  money: (c) => `CAST(${c} AS DECIMAL(10,2))`,
  timestamp: (c) => `make_timestamp(CAST(round(${c} * 1000) AS BIGINT))`,
  boolean: (c) => `CAST(${c} AS BOOLEAN)`,
  double: (c) => c,
};

let connection: DuckDBConnection;
let instance: DuckDBInstance;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
});
afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

/** Loads rows with the writer into a table of the staging types. */
async function viaWriter(table: string, rows: readonly WarehouseRow[]): Promise<void> {
  await connection.run(`CREATE TABLE ${table} (${TYPES.map((t, i) => `c${i} ${STAGING_TYPES[t].toString()}`).join(', ')})`);
  const appender = await connection.createAppender(table);
  new ColumnChunkWriter(TYPES).append(appender, encodeColumns(TYPES, rows));
  appender.flushSync();
  appender.closeSync();
}

/** The numeric columns as the old staging gave them: DOUBLE, cast in SQL. */
async function numbersByDoubleCasts(table: string, rows: readonly WarehouseRow[]): Promise<unknown[][]> {
  await connection.run(`CREATE TABLE ${table} (${TYPES.map((_, i) => `c${i} DOUBLE`).join(', ')})`);
  const appender = await connection.createAppender(table);
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const slice = rows.slice(start, start + CHUNK_ROWS);
    const chunk = DuckDBDataChunk.create(
      TYPES.map(() => DOUBLE),
      slice.length,
    );
    chunk.setColumns(TYPES.map((_, c) => slice.map((row) => (typeof row[c] === 'number' ? (row[c] as number) : null))));
    appender.appendDataChunk(chunk);
  }
  appender.flushSync();
  appender.closeSync();
  const casts = NUMERIC.map((i) => `${DOUBLE_CASTS[TYPES[i]!](`c${i}`)}::VARCHAR`);
  return (await connection.runAndReadAll(`SELECT ${casts.join(', ')} FROM ${table}`)).getRows();
}

const NUMERIC = [1, 2, 3, 4];

describe('encodeColumns and ColumnChunkWriter', () => {
  it('loads the same values as staging numbers as DOUBLE and casting them in SQL, over several chunks, nulls included', async () => {
    const rows = Array.from({ length: 2 * CHUNK_ROWS + 77 }, (_, i) => rowAt(i));
    await viaWriter('w', rows);
    // Text and bytes as given.
    const texts = await connection.runAndReadAll(`SELECT c0, c5 FROM w`);
    expect(texts.getRows()).toHaveLength(rows.length);
    texts.getRows().forEach(([text, blob], i) => {
      expect(text).toBe(rows[i]![0]);
      expect(blob === null ? null : Array.from((blob as { bytes: Uint8Array }).bytes)).toEqual(
        rows[i]![5] === null ? null : Array.from(rows[i]![5] as Uint8Array),
      );
    });
    // Numbers as DuckDB's casts from DOUBLE give them.
    const numbersByWriter = (await connection.runAndReadAll(`SELECT ${NUMERIC.map((i) => `c${i}::VARCHAR`).join(', ')} FROM w`)).getRows();
    expect(numbersByWriter).toEqual(await numbersByDoubleCasts('d', rows));
    const json = (await connection.runAndReadAll(`SELECT CAST(c6 AS JSON)::VARCHAR FROM w`)).getRows().map(([j]) => j);
    expect(json).toEqual(rows.map((r) => (r[6] === null ? null : JSON.stringify(JSON.parse(r[6] as string)))));
    // Booleans as booleans, doubles bit for bit (toEqual tells -0 from 0).
    const flagsAndDoubles = (await connection.runAndReadAll(`SELECT c7, c8 FROM w`)).getRows();
    expect(flagsAndDoubles).toEqual(rows.map((r) => [r[7], r[8]]));
  });

  it('writes booleans as one byte (0 or 1) and doubles as little-endian float64, with a validity bit per null', () => {
    const { columns } = encodeColumns(
      ['boolean', 'double'],
      [
        [true, 0.1],
        [false, null],
        [null, -2.5e-300],
      ],
    );
    expect(Array.from(columns[0]!.data)).toEqual([1, 0, 0]);
    expect(columns[0]!.validity![0]! & 0b111).toBe(0b011);
    const view = new DataView(columns[1]!.data.buffer);
    expect([view.getFloat64(0, true), view.getFloat64(16, true)]).toEqual([0.1, -2.5e-300]);
    expect(columns[1]!.validity![0]! & 0b111).toBe(0b101);
    // No null: no mask, as for the other types.
    expect(encodeColumns(['boolean', 'double'], [[true, 1]]).columns.map((c) => c.validity)).toEqual([undefined, undefined]);
  });

  it('refuses a value its column cannot hold, as the DOUBLE casts did', () => {
    expect(() => encodeColumns(['money'], [[100_000_000]])).toThrow(/DECIMAL\(10,2\)/);
    expect(() => encodeColumns(['integer'], [[2 ** 31]])).toThrow(/INTEGER/);
    expect(() => encodeColumns(['timestamp'], [[Number.NaN]])).toThrow(/TIMESTAMP/);
  });

  it('refuses anything but true and false as a BOOLEAN, and NaN, ±Infinity or a non-number as a DOUBLE', () => {
    expect(() => encodeColumns(['boolean'], [[true], ['true']])).toThrow('cannot load "true" as BOOLEAN');
    expect(() => encodeColumns(['boolean'], [[1]])).toThrow('cannot load 1 as BOOLEAN');
    expect(() => encodeColumns(['boolean'], [[0]])).toThrow('cannot load 0 as BOOLEAN');
    expect(() => encodeColumns(['double'], [[Number.NaN]])).toThrow('cannot load NaN as DOUBLE (finite)');
    expect(() => encodeColumns(['double'], [[Infinity]])).toThrow('cannot load Infinity as DOUBLE (finite)');
    expect(() => encodeColumns(['double'], [[-Infinity]])).toThrow('cannot load -Infinity as DOUBLE (finite)');
    expect(() => encodeColumns(['double'], [['abc']])).toThrow('cannot load "abc" as DOUBLE (finite)');
    expect(() => encodeColumns(['double'], [[new Uint8Array(2)]])).toThrow('cannot load 2 bytes as DOUBLE (finite)');
    let refused: unknown;
    try {
      encodeColumns(['boolean'], [['yes']]);
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ code: 'WAREHOUSE_REJECTED', retriable: false });
  });
});
