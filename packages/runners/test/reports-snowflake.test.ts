import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  WAREHOUSE_TABLES,
  INVENTORY,
  OrderEventGenerator,
  inventoryRows,
  orderEventTables,
  type OrderEvent,
  buildDailyReport,
  buildWeeklyReport,
} from '@sneakpipe/sneakers';
import type { Decoded, Warehouse } from '@sneakpipe/core';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { SnowflakeWarehouse } from '@sneakpipe/connectors/snowflake';
import { afterAll, describe, expect, it } from 'vitest';
import { snowflakeTestConnection, uniqueSchema } from '@sneakpipe/test-support/snowflake';

const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-report-sf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Identical data in both warehouses: the same generated events and inventory. */
async function load(w: Warehouse): Promise<void> {
  const events: Decoded<OrderEvent>[] = [];
  for (const value of new OrderEventGenerator({
    seed: 5,
    customers: 100,
    start: Date.UTC(2025, 0, 13, 6),
    end: Date.UTC(2025, 0, 15, 9),
    ordersPerDay: 250,
  })) {
    events.push({ ok: true, value, sizeBytes: 0 });
  }
  await w.append({ tables: orderEventTables(events) });
  await w.insertIfAbsent(INVENTORY, inventoryRows({ seed: 5, colorsPerModel: 1, updatedAt: Date.UTC(2025, 0, 1) }));
}

const withoutGeneratedAt = <T extends { generatedAt: string }>(r: T) => ({ ...r, generatedAt: '' });

describe('reports give the same answers on DuckDB and Snowflake (emulator)', () => {
  it('daily and weekly reports are identical', async () => {
    const duck = await DuckDbWarehouse.open({ path: join(dir, 'w.duckdb') }, { tables: WAREHOUSE_TABLES });
    const snow = await SnowflakeWarehouse.open(snowflakeTestConnection(uniqueSchema('REPORTS')), { tables: WAREHOUSE_TABLES });
    try {
      await Promise.all([load(duck), load(snow)]);
      const now = Date.UTC(2025, 0, 20);
      const daily = await Promise.all([duck, snow].map((w) => buildDailyReport(w, '2025-01-15', 'Europe/Paris', now)));
      expect(daily[0]!.kpis.orders).toBeGreaterThan(100);
      expect(withoutGeneratedAt(daily[1]!)).toEqual(withoutGeneratedAt(daily[0]!));
      const weekly = await Promise.all([duck, snow].map((w) => buildWeeklyReport(w, '2025-W03', 'Europe/Paris', now)));
      expect(weekly[0]!.stockCover.length).toBeGreaterThan(0);
      expect(withoutGeneratedAt(weekly[1]!)).toEqual(withoutGeneratedAt(weekly[0]!));
    } finally {
      await duck.close();
      await snow.close();
    }
  }, 180_000);
});
