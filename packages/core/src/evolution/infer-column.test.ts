import { describe, expect, it } from 'vitest';
import { CLASH, evolvedCell, inferColumnType } from './infer-column.js';

describe('inferColumnType()', () => {
  it.each([
    [true, 'boolean'],
    [false, 'boolean'],
    [42, 'bigint'],
    [-3, 'bigint'],
    [2 ** 53 - 1, 'bigint'],
    [2 ** 53, 'double'], // a whole number a double no longer holds exactly
    [4.5, 'double'],
    ['WELCOME10', 'text'],
    ['42', 'text'], // digits in text stay text
    ['true', 'text'],
    ['2026-12-07T10:00:00Z', 'timestamp'],
    ['2026-12-07T10:00:00.123+01:00', 'timestamp'],
    ['2026-12-07T10:00:00', 'text'], // no offset: no zone to read it in
    ['2026-12-07', 'text'],
    ['2026-13-45T99:00:00Z', 'text'], // the shape of a time, not a time
    ['2026-02-30T10:00:00Z', 'text'], // no such day (Date.parse would read March 2)
    ['2024-02-29T10:00:00Z', 'timestamp'], // a leap day
    ['2026-12-07T10:00:00.123456Z', 'text'], // microseconds would be lost in a millisecond timestamp
    [{ code: 'X' }, 'json'],
    [[1, 2], 'json'],
  ] as const)('%j asks for %s', (value, type) => {
    expect(inferColumnType(value)).toBe(type);
  });

  it('asks for nothing for null: the field waits for a value', () => {
    expect(inferColumnType(null)).toBeUndefined();
  });
});

describe('evolvedCell()', () => {
  it('takes a value that fits its column as it is', () => {
    expect(evolvedCell('text', 'A')).toBe('A');
    expect(evolvedCell('bigint', 42)).toBe(42);
    expect(evolvedCell('integer', -7)).toBe(-7);
    expect(evolvedCell('double', 3)).toBe(3);
    expect(evolvedCell('money', 19.99)).toBe(19.99);
    expect(evolvedCell('boolean', false)).toBe(false);
    expect(evolvedCell('timestamp', '2026-12-07T10:00:00+01:00')).toBe(Date.UTC(2026, 11, 7, 9));
    expect(evolvedCell('json', { a: [1] })).toBe('{"a":[1]}');
    expect(evolvedCell('json', 'text')).toBe('"text"');
  });

  it('never coerces: a value of another type clashes', () => {
    expect(evolvedCell('text', 42)).toBe(CLASH);
    expect(evolvedCell('text', true)).toBe(CLASH);
    expect(evolvedCell('bigint', '42')).toBe(CLASH);
    expect(evolvedCell('bigint', 1.5)).toBe(CLASH);
    expect(evolvedCell('integer', 2 ** 31)).toBe(CLASH);
    expect(evolvedCell('double', '1.5')).toBe(CLASH);
    expect(evolvedCell('money', 0.001)).toBe(CLASH);
    expect(evolvedCell('boolean', 'true')).toBe(CLASH);
    expect(evolvedCell('boolean', 1)).toBe(CLASH);
    expect(evolvedCell('timestamp', Date.UTC(2026, 0, 1))).toBe(CLASH); // a number is not read as epoch ms
    expect(evolvedCell('timestamp', '2026-12-07T10:00:00')).toBe(CLASH); // no offset
    expect(evolvedCell('timestamp', '2026-02-30T10:00:00Z')).toBe(CLASH); // no such day
    expect(evolvedCell('binary', 'AAEC')).toBe(CLASH);
  });
});
