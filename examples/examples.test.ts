import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { queryDuckDbFile } from '@sneakpipe/test-support/duckdb';
import { FLASH_SALE, flashSaleToDuckDb } from './custom-generator-to-duckdb.js';
import { runWithVipTagging } from './custom-operator.js';

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
});
