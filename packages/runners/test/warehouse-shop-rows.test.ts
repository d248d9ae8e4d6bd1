import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WAREHOUSE_CONNECTORS, openWarehouse } from '@sneakpipe/connectors/settings';
import { WAREHOUSE_TABLES } from '@sneakpipe/sneakers';
import { afterAll, describe, expect, it } from 'vitest';
import { describeDeadLetterReplay } from '@sneakpipe/test-support/dead-letter-contract';
import { snowflakeStreamingTestConnection, snowflakeTestConnection, uniqueSchema } from '@sneakpipe/test-support/snowflake';
import { describeShopWarehouseRows } from '@sneakpipe/test-support/warehouse-contract';

/*
 * The shop's tables in every warehouse connector, each opened by name as the
 * CLI opens it: the sneaker rows keep what they carry, and dead letters are
 * listed and replayed exactly once. Here because both the shop and the
 * connectors are; the connectors' own contract, on generic tables, is in
 * packages/connectors/src/settings/warehouses.test.ts. A warehouse added to
 * WAREHOUSE_CONNECTORS runs these once it has a test config here (the first
 * case fails until it has one).
 */
const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-shop-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const TEST_CONFIGS: Record<string, (name: string) => unknown> = {
  duckdb: (name) => ({ path: join(dir, `${name}-${files++}.duckdb`) }),
  // The real snowflake-sdk against the fakesnow emulator (started by the test command).
  snowflake: (name) => snowflakeTestConnection(uniqueSchema(name)),
};

describe("the shop's tables in every warehouse connector, found by name", () => {
  it('every connector has a test config here', () => {
    expect(WAREHOUSE_CONNECTORS.map((c) => c.name).sort()).toEqual(Object.keys(TEST_CONFIGS).sort());
  });
});

for (const connector of WAREHOUSE_CONNECTORS) {
  const config = TEST_CONFIGS[connector.name];
  if (!config) continue; // reported by the first case above
  const open = (name: string) => () => openWarehouse(connector.name, config(name), { tables: WAREHOUSE_TABLES });
  describeShopWarehouseRows(`${connector.name}, opened by name`, open('SHOP_ROWS'));
  describeDeadLetterReplay(`${connector.name}, opened by name`, open('REPLAY'));
}

// The shop's rows through the Snowflake connector's other load method, Snowpipe Streaming.
const streaming = (name: string) => () =>
  openWarehouse('snowflake', snowflakeStreamingTestConnection(uniqueSchema(name)), { tables: WAREHOUSE_TABLES });
describeShopWarehouseRows('snowflake, Snowpipe Streaming', streaming('SHOP_ROWS_STREAMING'));
describeDeadLetterReplay('snowflake, Snowpipe Streaming', streaming('REPLAY_STREAMING'));
