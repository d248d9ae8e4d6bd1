import type { Warehouse } from '@sneakpipe/core';

/**
 * The original system's analysis query — top 5 brands by revenue over the last 24 hours —
 * counting each order once (its `order_created` event), since the stream also
 * carries the later events of every order. `table` is the qualified
 * STREAMING_ORDERS name (`RETAIL_LAB.STG.STREAMING_ORDERS` in the shop's
 * warehouse, see `WAREHOUSE_LOCATION`).
 */
export const topBrandsByRevenueSql = (table: string) => `
SELECT
    BRAND,
    COUNT(*) AS ORDERS_COUNT,
    SUM(TOTAL_AMOUNT) AS REVENUE,
    AVG(TOTAL_AMOUNT) AS AVG_ORDER_VALUE
FROM ${table}
WHERE PROCESSED_AT >= CURRENT_DATE - 1
  AND EVENT_TYPE = 'order_created'
GROUP BY BRAND
ORDER BY REVENUE DESC
LIMIT 5`;

/** One brand's line in {@link topBrandsByRevenue}. */
export interface BrandRevenue {
  readonly brand: string;
  readonly orders: number;
  readonly revenue: number;
  readonly averageOrderValue: number;
}

/**
 * The original system's analysis query: the top 5 brands by revenue over the
 * last 24 hours, each order counted once (its `order_created` event), as
 * plain numbers. Reads the warehouse's `STREAMING_ORDERS`.
 *
 * @example
 * ```ts
 * import type { Warehouse } from '@sneakpipe/core';
 * import { topBrandsByRevenue } from '@sneakpipe/sneakers';
 *
 * declare const warehouse: Warehouse; // the one the consumer loads
 * for (const { brand, orders, revenue } of await topBrandsByRevenue(warehouse)) console.log(brand, orders, revenue);
 * ```
 */
export async function topBrandsByRevenue(warehouse: Warehouse): Promise<BrandRevenue[]> {
  const rows = await warehouse.query(topBrandsByRevenueSql(warehouse.table('STREAMING_ORDERS')));
  return rows.map((r) => ({
    brand: String(r.BRAND),
    orders: Number(r.ORDERS_COUNT),
    revenue: Number(r.REVENUE),
    averageOrderValue: Number(r.AVG_ORDER_VALUE),
  }));
}

/** Counts the rows of a warehouse table. */
export async function countRows(warehouse: Warehouse, table: string): Promise<number> {
  const [row] = await warehouse.query(`SELECT COUNT(*) AS N FROM ${warehouse.table(table)}`);
  return Number(row?.N ?? 0);
}
