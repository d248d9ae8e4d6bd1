/**
 * Every query the reports run, in one module. Values travel as bind
 * parameters; the only interpolations are table names from the warehouse and
 * column names from the fixed list below. The SQL is the common subset of
 * DuckDB and Snowflake, so both give the same answers.
 */
import { timestampParam as ts, type Row, type Warehouse } from '@sneakpipe/core';

/** A half-open time window [start, end), ms since epoch (UTC). */
export interface Window {
  readonly start: number;
  readonly end: number;
}

const inWindow = `"TIMESTAMP" >= CAST(? AS TIMESTAMP) AND "TIMESTAMP" < CAST(? AS TIMESTAMP)`;
const created = `EVENT_TYPE = 'order_created'`;

/**
 * The window's order events, each EVENT_ID once. STREAMING_ORDERS is
 * append-only: an event its producer sent twice (one EVENT_ID at two offsets)
 * is two rows, and reports count it once (the first delivered). Binds the
 * window's two parameters.
 */
const eventsIn = (w: Warehouse) =>
  `(SELECT * FROM ${w.table('STREAMING_ORDERS')} WHERE ${inWindow}
     QUALIFY ROW_NUMBER() OVER (PARTITION BY EVENT_ID ORDER BY KAFKA_PARTITION, KAFKA_OFFSET) = 1) e`;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** What can be ranked: a fixed set, never user input. */
export const DIMENSIONS = {
  brand: 'BRAND',
  model: "BRAND || ' ' || MODEL",
  size: 'SIZE',
  city: 'CUSTOMER_CITY',
} as const;
export type Dimension = keyof typeof DIMENSIONS;

export interface WindowTotals {
  orders: number;
  revenue: number;
  units: number;
  cancellations: number;
  returns: number;
  customers: number;
  /** Events with data-quality flags (unknown model, total other than price × quantity, ...): counted like the others, shown apart. */
  flagged: number;
}

export async function windowTotals(w: Warehouse, window: Window): Promise<WindowTotals> {
  const [r] = await w.query(
    `SELECT
       SUM(CASE WHEN ${created} THEN 1 ELSE 0 END) AS ORDERS,
       SUM(CASE WHEN ${created} THEN TOTAL_AMOUNT ELSE 0 END) AS REVENUE,
       SUM(CASE WHEN ${created} THEN QUANTITY ELSE 0 END) AS UNITS,
       SUM(CASE WHEN EVENT_TYPE = 'cancelled' THEN 1 ELSE 0 END) AS CANCELLATIONS,
       SUM(CASE WHEN EVENT_TYPE = 'returned' THEN 1 ELSE 0 END) AS RETURNS,
       COUNT(DISTINCT CASE WHEN ${created} THEN CUSTOMER_NAME || '|' || CUSTOMER_CITY END) AS CUSTOMERS,
       SUM(CASE WHEN QUALITY_FLAGS IS NOT NULL THEN 1 ELSE 0 END) AS FLAGGED
     FROM ${eventsIn(w)}`,
    [ts(window.start), ts(window.end)],
  );
  return {
    orders: num(r?.ORDERS),
    revenue: Math.round(num(r?.REVENUE) * 100) / 100,
    units: num(r?.UNITS),
    cancellations: num(r?.CANCELLATIONS),
    returns: num(r?.RETURNS),
    customers: num(r?.CUSTOMERS),
    flagged: num(r?.FLAGGED),
  };
}

export interface Ranked {
  name: string;
  orders: number;
  revenue: number;
  units: number;
}

/** The top `limit` values of a dimension by revenue among orders created in the window. */
export async function topBy(w: Warehouse, dimension: Dimension, window: Window, limit: number): Promise<Ranked[]> {
  const expr = DIMENSIONS[dimension];
  const rows = await w.query(
    `SELECT ${expr} AS NAME, COUNT(*) AS ORDERS, SUM(TOTAL_AMOUNT) AS REVENUE, SUM(QUANTITY) AS UNITS
     FROM ${eventsIn(w)}
     WHERE ${created}
     GROUP BY ${expr}
     ORDER BY REVENUE DESC, NAME
     LIMIT ${Math.max(1, Math.floor(limit))}`,
    [ts(window.start), ts(window.end)],
  );
  return rows.map((r) => ({
    name: String(r.NAME),
    orders: num(r.ORDERS),
    revenue: Math.round(num(r.REVENUE) * 100) / 100,
    units: num(r.UNITS),
  }));
}

export interface HourBucket {
  /** Start of the UTC hour, ms. */
  hour: number;
  brand: string;
  orders: number;
  revenue: number;
}

/**
 * Orders created per UTC hour and brand. Reports turn these into local days,
 * hours and weekdays in JavaScript, so DST and time zones are handled in one
 * place and the SQL stays portable.
 */
export async function hourlyByBrand(w: Warehouse, window: Window): Promise<HourBucket[]> {
  const rows = await w.query(
    `SELECT DATE_TRUNC('hour', "TIMESTAMP") AS H, BRAND, COUNT(*) AS ORDERS, SUM(TOTAL_AMOUNT) AS REVENUE
     FROM ${eventsIn(w)}
     WHERE ${created}
     GROUP BY DATE_TRUNC('hour', "TIMESTAMP"), BRAND`,
    [ts(window.start), ts(window.end)],
  );
  return rows.map((r) => ({ hour: toMs(r.H), brand: String(r.BRAND), orders: num(r.ORDERS), revenue: num(r.REVENUE) }));
}

/** Customers with at least one order in the window, and those with two or more. */
export async function repeatCustomers(w: Warehouse, window: Window): Promise<{ customers: number; repeat: number }> {
  const [r] = await w.query(
    `SELECT COUNT(*) AS CUSTOMERS, SUM(CASE WHEN N >= 2 THEN 1 ELSE 0 END) AS REPEAT_CUSTOMERS
     FROM (SELECT CUSTOMER_NAME, CUSTOMER_CITY, COUNT(*) AS N
           FROM ${eventsIn(w)}
           WHERE ${created}
           GROUP BY CUSTOMER_NAME, CUSTOMER_CITY) c`,
    [ts(window.start), ts(window.end)],
  );
  return { customers: num(r?.CUSTOMERS), repeat: num(r?.REPEAT_CUSTOMERS) };
}

export interface StockCover {
  brand: string;
  model: string;
  size: string;
  unitsSold: number;
  stock: number;
}

/** The fastest-selling model × size combinations in the window, with their stock (all colours) from INVENTORY. */
export async function fastestSellers(w: Warehouse, window: Window, limit: number): Promise<StockCover[]> {
  const rows = await w.query(
    `WITH sales AS (
       SELECT BRAND, MODEL, SIZE, SUM(QUANTITY) AS UNITS
       FROM ${eventsIn(w)}
       WHERE ${created}
       GROUP BY BRAND, MODEL, SIZE),
     stock AS (
       SELECT BRAND, MODEL, SIZE, SUM(STOCK_QUANTITY) AS STOCK
       FROM ${w.table('INVENTORY')}
       GROUP BY BRAND, MODEL, SIZE)
     SELECT s.BRAND, s.MODEL, s.SIZE, s.UNITS, COALESCE(k.STOCK, 0) AS STOCK
     FROM sales s LEFT JOIN stock k ON k.BRAND = s.BRAND AND k.MODEL = s.MODEL AND k.SIZE = s.SIZE
     ORDER BY s.UNITS DESC, s.BRAND, s.MODEL, s.SIZE
     LIMIT ${Math.max(1, Math.floor(limit))}`,
    [ts(window.start), ts(window.end)],
  );
  return rows.map((r) => ({
    brand: String(r.BRAND),
    model: String(r.MODEL),
    size: String(r.SIZE),
    unitsSold: num(r.UNITS),
    stock: num(r.STOCK),
  }));
}

function toMs(value: Row[string]): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') return Date.parse(value.endsWith('Z') ? value : `${value.replace(' ', 'T')}Z`);
  return Number(value);
}
