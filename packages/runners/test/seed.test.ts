import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';
import { queryDuckDbFile } from '../../../test-support/duckdb.js';
import { queryEmulatorFile, snowflakeTestEnv, uniqueSchema } from '../../../test-support/snowflake.js';

const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-seed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const one = async (file: string, sql: string) => Number(((await queryDuckDbFile(file, sql)) as [[bigint]])[0][0]);

describe('sneakpipe seed (batch reference data)', () => {
  it('loads CUSTOMERS, INVENTORY and ORDERS into DuckDB, consistently with each other, and a re-run adds no duplicates', async () => {
    const warehouse = join(dir, 'seed.duckdb');
    const args = ['seed', '--warehouse', warehouse, '--customers', '800', '--days', '14', '--orders-per-day', '300'];
    const first = await runCli(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/CUSTOMERS\s+800 rows generated,\s+800 in the table/);
    const orders = await one(warehouse, 'SELECT COUNT(*) FROM STG.ORDERS');
    expect(orders).toBeGreaterThan(14 * 300 * 0.7);
    const again = await runCli(args);
    expect(again.code, again.stderr).toBe(0);
    expect(await one(warehouse, 'SELECT COUNT(*) FROM STG.CUSTOMERS')).toBe(800);
    expect(await one(warehouse, 'SELECT COUNT(*) - COUNT(DISTINCT ORDER_ID) FROM STG.ORDERS')).toBe(0);
    expect(await one(warehouse, 'SELECT COUNT(*) FROM STG.INVENTORY')).toBe(
      await one(warehouse, 'SELECT COUNT(DISTINCT SKU) FROM STG.INVENTORY'),
    );
    // Every order belongs to a known customer and a stocked SKU; statuses are lifecycle states.
    expect(
      await one(warehouse, 'SELECT COUNT(*) FROM STG.ORDERS o LEFT JOIN STG.CUSTOMERS c USING (CUSTOMER_ID) WHERE c.CUSTOMER_ID IS NULL'),
    ).toBe(0);
    expect(
      await one(
        warehouse,
        'SELECT COUNT(*) FROM STG.ORDERS o ANTI JOIN STG.INVENTORY i ON i.BRAND = o.BRAND AND i.MODEL = o.MODEL AND i.COLOR = o.COLOR AND i.SIZE = o.SIZE',
      ),
    ).toBe(0);
    const statuses = (await queryDuckDbFile(warehouse, 'SELECT DISTINCT STATUS FROM STG.ORDERS ORDER BY 1')).map((r) => r[0]);
    expect(
      statuses.every((s) => ['order_created', 'payment_confirmed', 'shipped', 'delivered', 'cancelled', 'returned'].includes(s as string)),
    ).toBe(true);
    expect(statuses).toContain('delivered');
    // Seasonality: evenings outsell nights.
    const evening = await one(warehouse, 'SELECT COUNT(*) FROM STG.ORDERS WHERE hour(ORDER_DATE) BETWEEN 18 AND 21');
    const night = await one(warehouse, 'SELECT COUNT(*) FROM STG.ORDERS WHERE hour(ORDER_DATE) BETWEEN 2 AND 5');
    expect(evening).toBeGreaterThan(3 * night);
  });

  it('loads the same reference data into Snowflake (emulator), idempotently', async () => {
    const schema = uniqueSchema('SEED');
    const args = ['seed', '--customers', '40', '--days', '1', '--orders-per-day', '40', '--colors-per-model', '1'];
    const env = { ...snowflakeTestEnv(), SNOWFLAKE_SCHEMA: schema };
    const first = await runCli(args, env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/CUSTOMERS\s+40 rows generated,\s+40 in the table/);
    const again = await runCli(args, env);
    expect(again.code, again.stderr).toBe(0);
    const [[customers, inventory, orders, distinctOrders]] = queryEmulatorFile(
      'RETAIL_LAB',
      `SELECT (SELECT COUNT(*) FROM ${schema}.CUSTOMERS), (SELECT COUNT(*) FROM ${schema}.INVENTORY), (SELECT COUNT(*) FROM ${schema}.ORDERS), (SELECT COUNT(DISTINCT ORDER_ID) FROM ${schema}.ORDERS)`,
    ) as [[number, number, number, number]];
    expect(customers).toBe(40);
    expect(inventory).toBe(48 * 25);
    // One day at 40 orders a day: 25 to 76 orders for a history ending at any 10-minute step of a week (measured).
    expect(orders).toBeGreaterThan(20);
    expect(orders).toBe(distinctOrders);
  });
});
