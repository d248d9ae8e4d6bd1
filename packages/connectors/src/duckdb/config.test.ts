import { ConfigError, isRetriable } from '@sneakpipe/core';
import { describe, expect, it } from 'vitest';
import { failureOf } from '@sneakpipe/test-support/failure';
import type { DuckDbSettings } from './config.js';
import { DuckDbWarehouse } from './duckdb-warehouse.js';

describe('DuckDB settings', () => {
  it('open: a bad setting is a ConfigError naming it, not retriable, before DuckDB is started', async () => {
    const cases = [
      [{ path: '' }, /^invalid DuckDB setting path: expected a file path$/],
      [{ path: ':memory:', memoryLimit: 'plenty' }, /^invalid DuckDB setting memoryLimit: expected a memory size/],
      [{ path: ':memory:', schema: '' }, /^invalid DuckDB setting schema: expected a schema name$/],
      [{ path: ':memory:', database: 42 }, /^invalid DuckDB setting database: expected a catalog name$/],
    ] as const;
    for (const [settings, message] of cases) {
      // As settings come from JavaScript or a file: what the types would have refused is refused when it opens.
      const error = await failureOf<ConfigError>(() => DuckDbWarehouse.open(settings as unknown as DuckDbSettings, { tables: [] }));
      expect(error).toBeInstanceOf(ConfigError);
      expect([error.code, isRetriable(error)]).toEqual(['CONFIG_INVALID', false]);
      expect(error.message).toMatch(message);
    }
  });
});
