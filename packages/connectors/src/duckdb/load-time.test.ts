import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TIME_ZONES, expectUtcLoadTime, loadUnderTimeZone, utcMs } from '../../../../test-support/load-time.js';

const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-duckdb-tz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// DuckDB takes its TimeZone setting from the process's TZ; its current_localtimestamp() is that zone's wall clock.
describe("DuckDB load times are UTC whatever the process's time zone", () => {
  for (const timeZone of TIME_ZONES) {
    it(`TZ=${timeZone}: load-time columns (direct, staged) and LOAD_POSITIONS.UPDATED_AT hold UTC; given timestamps stay as given`, () => {
      const loads = loadUnderTimeZone(timeZone, ['duckdb', join(dir, `${timeZone.replace('/', '-')}.duckdb`)]);
      const { TZ_EVENTS, TZ_EVENTS_HAPPENED, TZ_REFS, LOAD_POSITIONS } = loads.tables;
      expect([TZ_EVENTS.length, TZ_REFS.length, LOAD_POSITIONS.length]).toEqual([2, 1, 1]);
      for (const [i, value] of TZ_EVENTS.entries()) expectUtcLoadTime(value, loads, `TZ_EVENTS.LOADED_AT #${i}`);
      expectUtcLoadTime(TZ_REFS[0], loads, 'TZ_REFS.LOADED_AT');
      // Set by the second load, which replaced the partition's row: its time, not the first load's.
      expectUtcLoadTime(LOAD_POSITIONS[0], loads, 'LOAD_POSITIONS.UPDATED_AT');
      expect(utcMs(LOAD_POSITIONS[0]!.stored)).toBeGreaterThanOrEqual(loads.secondLoadAt);
      for (const value of TZ_EVENTS_HAPPENED) {
        expect(value.stored).toBe('2025-01-01 00:04:05.678');
        expect(Date.parse(value.read)).toBe(loads.eventAt);
        expect(utcMs(value.stored)).toBe(loads.eventAt);
      }
    });
  }
});
