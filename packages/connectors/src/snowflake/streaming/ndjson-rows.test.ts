import { column, defineTable } from '@sneakpipe/core';
import { describe, expect, it } from 'vitest';
import { ndjsonRows } from './ndjson-rows.js';

const T = defineTable({
  name: 'T',
  description: 'Every type.',
  columns: [
    column('ID', 'text'),
    column('N', 'bigint', { nullable: true }),
    column('X', 'double', { nullable: true }),
    column('OK', 'boolean'),
    column('AT', 'timestamp'),
    column('RAW', 'binary', { nullable: true }),
    column('DOC', 'json', { nullable: true }),
    column('LOADED_AT', 'timestamp', { default: 'now' }),
  ],
});

describe('ndjsonRows', () => {
  it('writes one JSON object per row, keyed by column, each followed by a newline', () => {
    const text = ndjsonRows(
      T,
      [
        ['a "quoted"\nline', 42, 0.1, true, Date.UTC(2025, 0, 2, 3, 4, 5, 6), new Uint8Array([0, 255]), '{"k":[1,"é"]}'],
        ['b', null, Number.NaN, false, 0, null, null],
      ],
      Date.UTC(2026, 0, 1),
    );
    expect(text.endsWith('\n')).toBe(true);
    const lines = text
      .split('\n')
      .slice(0, -1)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      {
        ID: 'a "quoted"\nline',
        N: 42,
        X: 0.1,
        OK: true,
        AT: '2025-01-02 03:04:05.006',
        RAW: 'AP8=',
        DOC: { k: [1, 'é'] },
        LOADED_AT: '2026-01-01 00:00:00.000',
      },
      { ID: 'b', N: null, X: 'NaN', OK: false, AT: '1970-01-01 00:00:00.000', RAW: null, DOC: null, LOADED_AT: '2026-01-01 00:00:00.000' },
    ]);
  });
});
