/**
 * Example: a custom generator into DuckDB, with the library only.
 *
 * A flash sale: one model, three colourways, a burst of orders — generated with
 * a custom catalog, batched, and loaded into the embedded warehouse.
 */
import { WAREHOUSE_TABLES, OrderEventGenerator, orderEventSink, type Catalog, type OrderEvent } from '@sneakpipe/sneakers';
import { batch, load, type Decoded } from '@sneakpipe/core';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { from, lastValueFrom, map, toArray } from 'rxjs';

export const FLASH_SALE: Catalog = {
  brands: [{ name: 'Nike', weight: 1, models: [{ name: 'Dunk', minPrice: 89, maxPrice: 99 }] }],
  colors: ['Panda', 'Green Glow', 'University Red'],
  sizes: [
    { size: '40', weight: 2 },
    { size: '42', weight: 5 },
    { size: '44', weight: 3 },
  ],
};

/** Generates `events` flash-sale events and loads them; returns the rows per colour. */
export async function flashSaleToDuckDb(path: string, events = 5_000): Promise<Record<string, number>> {
  const generator = new OrderEventGenerator({
    seed: 2025,
    catalog: FLASH_SALE,
    start: Date.now() - 3_600_000,
    ordersPerDay: 50_000,
    seasonality: false,
  });
  const warehouse = await DuckDbWarehouse.open({ path }, { tables: WAREHOUSE_TABLES });
  try {
    const values = Array.from({ length: events }, () => generator.draw()!);
    await lastValueFrom(
      from(values).pipe(
        map((value): Decoded<OrderEvent> => ({ ok: true, value, sizeBytes: 300 })),
        batch({ maxCount: 1_000 }),
        load(orderEventSink({ warehouse, group: 'flash-sale' })),
        toArray(),
      ),
    );
    const rows = await warehouse.query<{ COLOR: string; N: bigint }>(
      `SELECT COLOR, COUNT(*) AS N FROM ${warehouse.table('STREAMING_ORDERS')} GROUP BY COLOR ORDER BY COLOR`,
    );
    return Object.fromEntries(rows.map((r) => [r.COLOR, Number(r.N)]));
  } finally {
    await warehouse.close();
  }
}
