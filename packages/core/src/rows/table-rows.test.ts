import { describe, expect, it } from 'vitest';
import type { Decoded } from '../contracts/records.js';
import { column, defineTable } from '../contracts/tables.js';
import { deadLetterTable } from './dead-letter-table.js';
import { RowMappingError, tableRows } from './table-rows.js';

type View = { url: string; ms: unknown };
const VIEWS = defineTable({ name: 'VIEWS', description: 'Views.', columns: [column('URL', 'text'), column('MS', 'integer')] });
const REJECTS = deadLetterTable('REJECTS');
const valid = (value: View, offset: number): Decoded<View> => ({
  ok: true,
  value,
  sizeBytes: 10,
  position: { topic: 't', partition: 0, offset },
});

describe('tableRows()', () => {
  it('sends a record whose row the table refuses to the dead letters with the reason and the record as JSON', () => {
    const rows = tableRows({ table: VIEWS, deadLetters: REJECTS, row: (v: View) => ({ URL: v.url, MS: v.ms as number }) });
    const bad = valid({ url: '/b', ms: 1.5 }, 1);
    const [views, rejects] = rows([valid({ url: '/a', ms: 3 }, 0), bad]);
    expect(views!.rows).toEqual([['/a', 3]]);
    expect(rejects!.table).toBe(REJECTS);
    expect(rejects!.rows).toHaveLength(1);
    const [reason, raw, topic, partition, offset] = rejects!.rows[0]!;
    expect(reason).toBe('VIEWS.MS: 1.5 is not a 32-bit integer');
    expect(JSON.parse(new TextDecoder().decode(raw as Uint8Array))).toEqual({ url: '/b', ms: 1.5 });
    expect([topic, partition, offset]).toEqual(['t', 0, 1]);
  });

  it('sends a string "true" in a boolean column and NaN in a double one to the dead letters, never coerced', () => {
    type Reading = { on: unknown; level: unknown };
    const READINGS = defineTable({
      name: 'READINGS',
      description: 'Readings.',
      columns: [column('ON', 'boolean'), column('LEVEL', 'double')],
    });
    const rows = tableRows({
      table: READINGS,
      deadLetters: REJECTS,
      row: (r: Reading) => ({ ON: r.on as boolean, LEVEL: r.level as number }),
    });
    const item = (value: Reading, offset: number): Decoded<Reading> => ({
      ok: true,
      value,
      sizeBytes: 10,
      position: { topic: 't', partition: 0, offset },
    });
    const [readings, rejects] = rows([
      item({ on: true, level: 0.25 }, 0),
      item({ on: 'true', level: 1 }, 1),
      item({ on: false, level: Number.NaN }, 2),
    ]);
    expect(readings!.rows).toEqual([[true, 0.25]]);
    expect(rejects!.rows.map((r) => r[0])).toEqual([
      'READINGS.ON: "true" is not a boolean (true or false)',
      'READINGS.LEVEL: NaN is not a finite number (NaN and ±Infinity are not stored)',
    ]);
  });

  it('stops with one non-retriable ROW_MAPPING error when every row is refused', () => {
    const rows = tableRows({
      table: VIEWS,
      deadLetters: REJECTS,
      maxConsecutiveRejects: 10,
      row: (v: View) => ({ URL: v.url, MS: null as unknown as number }),
    });
    const batch = Array.from({ length: 20 }, (_, i) => valid({ url: '/a', ms: 1 }, i));
    let error: unknown;
    try {
      rows(batch);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RowMappingError);
    expect((error as RowMappingError).code).toBe('ROW_MAPPING');
    expect((error as RowMappingError).retriable).toBe(false);
    expect((error as Error).message).toMatch(/10 rows in a row refused, the last: VIEWS\.MS: null in a NOT NULL column/);
  });

  it('does not stop on refusals between good rows', () => {
    const rows = tableRows({
      table: VIEWS,
      deadLetters: REJECTS,
      maxConsecutiveRejects: 3,
      row: (v: View) => ({ URL: v.url, MS: v.ms as number }),
    });
    const batch = Array.from({ length: 30 }, (_, i) => valid({ url: '/a', ms: i % 3 === 0 ? 1 : 0.5 }, i));
    const [views, rejects] = rows(batch);
    expect(views!.rows).toHaveLength(10);
    expect(rejects!.rows).toHaveLength(20);
  });

  it('keeps a mapping that throws as a dead letter naming the table', () => {
    const rows = tableRows({
      table: VIEWS,
      deadLetters: REJECTS,
      row: (): { URL: string; MS: number } => {
        throw new TypeError('boom');
      },
    });
    const [, rejects] = rows([valid({ url: '/a', ms: 1 }, 0)]);
    expect(rejects!.rows[0]![0]).toBe('VIEWS.(row): the row mapping threw: boom');
  });
});
