import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@sneakpipe/core';
import { afterAll, describe, expect, it } from 'vitest';
import { snowflakeStreamingTestConnection, snowflakeTestConnection, uniqueSchema } from '@sneakpipe/test-support/snowflake';
import { describeWarehouseOnGenericTables } from '@sneakpipe/test-support/generic-warehouse-contract';
import { WAREHOUSE_CONNECTORS, openWarehouse, warehouseConnector } from './warehouses.js';

/*
 * The warehouse contract over the list of connectors, each opened by name as
 * the CLI opens it, on generic tables (and the values they must keep): a
 * warehouse added to WAREHOUSE_CONNECTORS runs it once it has a test config
 * here (the first case fails until it has one). The shop's rows run over the
 * same list in packages/runners/test/warehouse-shop-rows.test.ts.
 */
const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-by-name-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const TEST_CONFIGS: Record<string, () => unknown> = {
  duckdb: () => ({ path: join(dir, `w-${files++}.duckdb`) }),
  // The real snowflake-sdk against the fakesnow emulator (started by the test command).
  snowflake: () => snowflakeTestConnection(uniqueSchema('CONTRACT')),
};

describe('warehouse connectors, found by name', () => {
  it('every connector has a test config here, and each name is one connector', () => {
    const names = WAREHOUSE_CONNECTORS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(Object.keys(TEST_CONFIGS).sort());
  });

  it('an unknown name and a bad setting are ConfigErrors naming them', async () => {
    const known = WAREHOUSE_CONNECTORS.map((c) => c.name).join(', ');
    expect(() => warehouseConnector('no-such-warehouse')).toThrow(ConfigError);
    expect(() => warehouseConnector('no-such-warehouse')).toThrow(`unknown warehouse "no-such-warehouse": expected one of ${known}`);
    await expect(openWarehouse('duckdb', { path: '' }, { tables: [] })).rejects.toThrow(ConfigError);
    await expect(openWarehouse('snowflake', { account: 'a' }, { tables: [] })).rejects.toThrow(/username|database/);
  });
});

for (const connector of WAREHOUSE_CONNECTORS) {
  const config = TEST_CONFIGS[connector.name];
  if (!config) continue; // reported by the first case above
  describeWarehouseOnGenericTables(`${connector.name}, opened by name`, (tables) => openWarehouse(connector.name, config(), { tables }), {
    rows: 300,
  });
}

// The Snowflake connector with its other load method, Snowpipe Streaming: positioned loads go through the test server
// that speaks its REST API (infra/snowpipe-streaming/server.mjs) into the emulator's tables.
describeWarehouseOnGenericTables(
  'snowflake, Snowpipe Streaming',
  (tables) => openWarehouse('snowflake', snowflakeStreamingTestConnection(uniqueSchema('STREAMING')), { tables }),
  { rows: 300, positionsTable: 'STREAMED_POSITIONS' },
);
