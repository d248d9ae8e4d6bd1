import { describe, expect, it } from 'vitest';
import { queryEmulatorFile, snowflakeTestConnection, uniqueSchema } from '@sneakpipe/test-support/snowflake';
import { TIME_ZONES, expectUtcLoadTime, expectUtcLoads, loadUnderTimeZone, utcMs } from '@sneakpipe/test-support/load-time';

// The real snowflake-sdk against the fakesnow emulator, from a process in another time zone. Snowflake's SYSDATE() is
// UTC whatever the session's TIMEZONE (CURRENT_TIMESTAMP is not), and timestamps are bound as UTC text; what is stored
// is read twice: through the driver, and from the emulator's database file without it.
describe("Snowflake load times are UTC whatever the process's time zone", () => {
  for (const timeZone of TIME_ZONES) {
    it(`TZ=${timeZone}: load-time columns and LOAD_POSITIONS.UPDATED_AT hold UTC; given timestamps stay as given`, () => {
      const connection = snowflakeTestConnection(uniqueSchema('TZ'));
      const loads = loadUnderTimeZone(timeZone, ['snowflake', JSON.stringify(connection)]);
      expectUtcLoads(loads);
      // The same, read from the emulator's file with DuckDB: neither the driver nor the emulator's HTTP API.
      const schema = connection.schema!;
      const [[loadedAt, happenedAt]] = queryEmulatorFile(
        connection.database,
        `SELECT CAST(MIN(LOADED_AT) AS VARCHAR), CAST(MIN(HAPPENED_AT) AS VARCHAR) FROM ${schema}.TZ_EVENTS`,
      ) as [[string, string]];
      expectUtcLoadTime({ stored: loadedAt, read: new Date(utcMs(loadedAt)).toISOString() }, loads, 'TZ_EVENTS.LOADED_AT in the file');
      expect(utcMs(happenedAt)).toBe(loads.eventAt);
      const [[updatedAt]] = queryEmulatorFile(
        connection.database,
        `SELECT CAST(UPDATED_AT AS VARCHAR) FROM ${schema}.LOAD_POSITIONS WHERE TOPIC = 'tz-topic'`,
      ) as [[string]];
      expect(utcMs(updatedAt)).toBeGreaterThanOrEqual(loads.secondLoadAt);
      expect(utcMs(updatedAt)).toBeLessThanOrEqual(loads.after + 5_000);
    });
  }
});
