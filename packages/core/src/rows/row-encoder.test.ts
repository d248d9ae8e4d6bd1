import { describe, expect, it } from 'vitest';
import { column, defineTable } from '../contracts/tables.js';
import { RowRejectedError, rowEncoder } from './row-encoder.js';

const T = defineTable({
  name: 'T',
  description: 'Every type.',
  columns: [
    column('NAME', 'text'),
    column('N', 'integer'),
    column('BIG', 'bigint'),
    column('PRICE', 'money'),
    column('AT', 'timestamp'),
    column('BYTES', 'binary', { nullable: true }),
    column('DOC', 'json', { nullable: true }),
    column('LOADED_AT', 'timestamp', { default: 'now' }),
  ],
});
const encode = rowEncoder(T);
const good = { NAME: 'a', N: 1, BIG: 2 ** 40, PRICE: 19.99, AT: 0 };

/** The message of the error `fn` throws; fails when it does not throw a RowRejectedError. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RowRejectedError);
    expect((error as RowRejectedError).retriable).toBe(false);
    return (error as Error).message;
  }
  throw new Error('not refused');
}

describe('rowEncoder()', () => {
  it('turns a named row into the loaded columns in order, nullable ones absent as null', () => {
    expect(encode(good)).toEqual(['a', 1, 2 ** 40, 19.99, 0, null, null]);
    const bytes = new Uint8Array([1, 2]);
    expect(encode({ ...good, BYTES: bytes, DOC: { x: [1] }, BIG: 5n })).toEqual(['a', 1, 5, 19.99, 0, bytes, '{"x":[1]}']);
  });

  it('reads timestamps from Date, ms and ISO text, text without an offset as UTC', () => {
    const at = (AT: Date | number | string) => encode({ ...good, AT })[4];
    expect(at(new Date('2026-12-07T10:00:00Z'))).toBe(Date.UTC(2026, 11, 7, 10));
    expect(at('2026-12-07T10:00:00Z')).toBe(Date.UTC(2026, 11, 7, 10));
    expect(at('2026-12-07T10:00:00')).toBe(Date.UTC(2026, 11, 7, 10));
    expect(at('2026-12-07 10:00:00.5')).toBe(Date.UTC(2026, 11, 7, 10, 0, 0, 500));
    expect(at('2026-12-07T10:00:00+01:00')).toBe(Date.UTC(2026, 11, 7, 9));
  });

  it('never coerces: each wrong value is refused with table, column and value', () => {
    expect(refusal(() => encode({ ...good, N: 1.5 }))).toBe('T.N: 1.5 is not a 32-bit integer');
    expect(refusal(() => encode({ ...good, N: '12' as unknown as number }))).toBe('T.N: "12" is not a 32-bit integer');
    expect(refusal(() => encode({ ...good, N: 2 ** 31 }))).toMatch(/^T\.N: 2147483648 is not/);
    expect(refusal(() => encode({ ...good, BIG: 2 ** 53 }))).toMatch(/^T\.BIG: /);
    expect(refusal(() => encode({ ...good, PRICE: 1.234 }))).toBe('T.PRICE: 1.234 is not an amount with at most 2 decimals');
    expect(refusal(() => encode({ ...good, NAME: 3 as unknown as string }))).toBe('T.NAME: 3 is not a string');
    expect(refusal(() => encode({ ...good, AT: 'yesterday' }))).toBe('T.AT: "yesterday" is not an ISO 8601 timestamp');
    expect(refusal(() => encode({ ...good, AT: new Date('nope') }))).toMatch(/^T\.AT: Date\(invalid\)/);
    expect(refusal(() => encode({ ...good, BYTES: 'ab' as unknown as Uint8Array }))).toMatch(/^T\.BYTES: "ab" is not bytes/);
  });

  it('takes booleans as booleans and doubles as given, any finite one', () => {
    const F = defineTable({
      name: 'F',
      description: 'Flags and measures.',
      columns: [column('OK', 'boolean'), column('RATIO', 'double', { nullable: true })],
    });
    const flags = rowEncoder(F);
    expect(flags({ OK: true, RATIO: 0.1 })).toEqual([true, 0.1]);
    expect(flags({ OK: false })).toEqual([false, null]);
    for (const x of [-2.5e-300, 1e300, 123456789.123, -0, 5e-324, Number.MAX_VALUE]) expect(flags({ OK: true, RATIO: x })[1]).toBe(x);
  });

  it('refuses anything but true and false in a boolean column, and a non-number or NaN or ±Infinity in a double one', () => {
    const F = defineTable({ name: 'F', description: 'Flags.', columns: [column('OK', 'boolean'), column('RATIO', 'double')] });
    const flags = rowEncoder(F);
    const bad = (row: Record<string, unknown>) => refusal(() => flags({ OK: true, RATIO: 1, ...row } as { OK: boolean; RATIO: number }));
    expect(bad({ OK: 'true' })).toBe('F.OK: "true" is not a boolean (true or false)');
    expect(bad({ OK: 1 })).toBe('F.OK: 1 is not a boolean (true or false)');
    expect(bad({ OK: 0 })).toBe('F.OK: 0 is not a boolean (true or false)');
    expect(bad({ OK: null })).toMatch(/^F\.OK: null in a NOT NULL column/);
    expect(bad({ RATIO: '0.1' })).toBe('F.RATIO: "0.1" is not a number');
    expect(bad({ RATIO: true })).toBe('F.RATIO: true is not a number');
    expect(bad({ RATIO: 3n })).toBe('F.RATIO: 3n is not a number');
    expect(bad({ RATIO: Number.NaN })).toBe('F.RATIO: NaN is not a finite number (NaN and ±Infinity are not stored)');
    expect(bad({ RATIO: Infinity })).toBe('F.RATIO: Infinity is not a finite number (NaN and ±Infinity are not stored)');
    expect(bad({ RATIO: -Infinity })).toBe('F.RATIO: -Infinity is not a finite number (NaN and ±Infinity are not stored)');
  });

  it('refuses null in a NOT NULL column, missing and unknown columns, and the warehouse-filled one', () => {
    expect(refusal(() => encode({ ...good, NAME: null as unknown as string }))).toMatch(/^T\.NAME: null in a NOT NULL column/);
    const { N: _, ...withoutN } = good;
    expect(refusal(() => encode(withoutN as typeof good))).toBe('T.N: missing (NOT NULL column)');
    expect(refusal(() => encode({ ...good, EXTRA: 1 } as typeof good))).toMatch(/^T\.EXTRA: no such column \(columns: NAME, N, /);
    expect(refusal(() => encode({ ...good, LOADED_AT: 1 } as typeof good))).toMatch(/^T\.LOADED_AT: is filled by the warehouse/);
  });
});
