import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TIME_ZONES, expectUtcLoads, loadUnderTimeZone } from '@sneakpipe/test-support/load-time';

const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-duckdb-tz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// DuckDB takes its TimeZone setting from the process's TZ; its current_localtimestamp() is that zone's wall clock.
describe("DuckDB load times are UTC whatever the process's time zone", () => {
  for (const timeZone of TIME_ZONES) {
    it(`TZ=${timeZone}: load-time columns (direct, staged) and LOAD_POSITIONS.UPDATED_AT hold UTC; given timestamps stay as given`, () => {
      const loads = loadUnderTimeZone(timeZone, ['duckdb', join(dir, `${timeZone.replace('/', '-')}.duckdb`)]);
      expectUtcLoads(loads);
      for (const value of loads.tables.TZ_EVENTS_HAPPENED) expect(value.stored).toBe('2025-01-01 00:04:05.678');
    });
  }
});
