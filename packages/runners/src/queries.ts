import type { Warehouse } from '@sneakpipe/core';

/**
 * The seed's analysis query — top 5 brands by revenue over the last 24 hours —
 * counting each order once (its `order_created` event), since the stream also
 * carries the later events of every order.
 */
export const TOP_BRANDS_BY_REVENUE_SQL = `
SELECT
    BRAND,
    COUNT(*) AS ORDERS_COUNT,
    SUM(TOTAL_AMOUNT) AS REVENUE,
    AVG(TOTAL_AMOUNT) AS AVG_ORDER_VALUE
FROM RETAIL_LAB.STG.STREAMING_ORDERS
WHERE PROCESSED_AT >= CURRENT_DATE - 1
  AND EVENT_TYPE = 'order_created'
GROUP BY BRAND
ORDER BY REVENUE DESC
LIMIT 5`;

export interface BrandRevenue {
  readonly brand: string;
  readonly orders: number;
  readonly revenue: number;
  readonly averageOrderValue: number;
}

/** Runs {@link TOP_BRANDS_BY_REVENUE_SQL} and returns plain numbers. */
export async function topBrandsByRevenue(warehouse: Warehouse): Promise<BrandRevenue[]> {
  const rows = await warehouse.query(TOP_BRANDS_BY_REVENUE_SQL);
  return rows.map((r) => ({
    brand: String(r.BRAND),
    orders: Number(r.ORDERS_COUNT),
    revenue: Number(r.REVENUE),
    averageOrderValue: Number(r.AVG_ORDER_VALUE),
  }));
}

/** Counts the rows of a table of the warehouse's STG schema. */
export async function countRows(warehouse: Warehouse, table: string): Promise<number> {
  const [row] = await warehouse.query(`SELECT COUNT(*) AS N FROM RETAIL_LAB.STG.${table}`);
  return Number(row?.N ?? 0);
}
