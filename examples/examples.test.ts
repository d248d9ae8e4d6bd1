import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { queryDuckDbFile } from '@sneakpipe/test-support/duckdb';
import { FLASH_SALE, flashSaleToDuckDb } from './custom-generator-to-duckdb.js';
import { runWithVipTagging } from './custom-operator.js';
import { loadEvolvingSignups } from './evolving-events.js';

const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('examples', () => {
  it('custom generator → DuckDB: only the flash-sale colourways, every event loaded', async () => {
    const counts = await flashSaleToDuckDb(join(dir, 'flash.duckdb'), 3_000);
    expect(Object.keys(counts).sort()).toEqual([...FLASH_SALE.colors].sort());
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(3_000);
  });

  it('custom operator: every order of 300 € or more is tagged VIP, and only those', async () => {
    const file = join(dir, 'vip.duckdb');
    const r = await runWithVipTagging(file);
    expect(r.rows).toBe(3_000);
    expect(r.vip).toBeGreaterThan(0);
    // The same rows, not just as many: read the file ourselves, row by row.
    const rows = (await queryDuckDbFile(file, 'SELECT EVENT_ID, CUSTOMER_NAME, CAST(TOTAL_AMOUNT AS DOUBLE) FROM STREAMING_ORDERS')) as [
      string,
      string,
      number,
    ][];
    expect(rows).toHaveLength(3_000);
    const tagged = rows
      .filter(([, name]) => name.endsWith(' (VIP)'))
      .map(([id]) => id)
      .sort();
    const big = rows
      .filter(([, , total]) => total >= 300)
      .map(([id]) => id)
      .sort();
    expect(tagged).toEqual(big);
    expect(tagged).toHaveLength(r.vip);
  });

  it('evolving events: new fields become typed columns, a number in the text column stays in EXTRA_FIELDS, flagged', async () => {
    const file = join(dir, 'signups.duckdb');
    expect(await loadEvolvingSignups(file, 1_000)).toBe(2_001);
    const columns = await queryDuckDbFile(file, "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'SIGNUPS'");
    expect(columns.slice(-2)).toEqual([
      ['PLAN', 'VARCHAR'],
      ['NEWSLETTER', 'BOOLEAN'],
    ]);
    const [[plain, pro, newsletter, clashed]] = (await queryDuckDbFile(
      file,
      `SELECT COUNT(CASE WHEN PLAN IS NULL AND EXTRA_FIELDS IS NULL THEN 1 END), COUNT(CASE WHEN PLAN = 'pro' THEN 1 END),
              COUNT(CASE WHEN NEWSLETTER THEN 1 END), COUNT(CASE WHEN QUALITY_FLAGS = 'schema_clash' AND (EXTRA_FIELDS->>'plan') = '3' THEN 1 END)
       FROM SIGNUPS`,
    )) as [[bigint, bigint, bigint, bigint]];
    expect([plain, pro, newsletter, clashed].map(Number)).toEqual([1_000, 1_000, 500, 1]);
  });
});
