import { DEFAULT_CATALOG, type Catalog } from '../domain/catalog.js';
import type { EventType } from '../domain/lifecycle.js';
import type { WarehouseRow } from '@sneakpipe/core';
import { createCustomerPool, type Customer } from './customers.js';
import { OrderEventGenerator } from './order-event-generator.js';
import { Random } from './random.js';

const DAY_MS = 86_400_000;

/** `CUSTOMERS` rows for the pool the stream draws from (same seed, same customers). */
export function customerRows(pool: readonly Customer[]): WarehouseRow[] {
  return pool.map((c) => [c.customerId, c.name, c.email, c.city, c.signupAt]);
}

/** A stock-keeping unit's id: brand, model, colour and size, upper-cased and dashed. */
export function skuOf(brand: string, model: string, color: string, size: string): string {
  return [brand, model, color, size].map((s) => s.toUpperCase().replace(/[^A-Z0-9.]+/g, '')).join('-');
}

/** Options of {@link inventoryRows}. */
export interface InventoryOptions {
  seed?: number;
  catalog?: Catalog;
  /** Colourways stocked per model (the most common first). Default: every colour of the catalog. */
  colorsPerModel?: number;
  /** When the stock was counted. Default now. */
  updatedAt?: number;
}

/**
 * `INVENTORY` rows: every stocked SKU with its list price and a stock level
 * that follows demand (popular brands and the common sizes hold more), so
 * days-of-cover in the weekly report is meaningful.
 */
export function inventoryRows(options: InventoryOptions = {}): WarehouseRow[] {
  const catalog = options.catalog ?? DEFAULT_CATALOG;
  const random = new Random((options.seed ?? 42) ^ 0x1a7e);
  const colors = catalog.colors.slice(0, options.colorsPerModel ?? catalog.colors.length);
  const maxSize = Math.max(...catalog.sizes.map((s) => s.weight));
  const maxBrand = Math.max(...catalog.brands.map((b) => b.weight));
  const updatedAt = options.updatedAt ?? Date.now();
  const rows: WarehouseRow[] = [];
  for (const brand of catalog.brands) {
    for (const model of brand.models) {
      const price = Math.round((model.minPrice + model.maxPrice) / 2) - 0.01;
      for (const [ci, color] of colors.entries()) {
        for (const { size, weight } of catalog.sizes) {
          const demand = ((brand.weight / maxBrand) * (weight / maxSize)) / (ci + 1);
          const stock = Math.max(0, Math.round(demand * 120 * (0.5 + random.next())));
          rows.push([skuOf(brand.name, model.name, color, size), brand.name, model.name, color, size, price, stock, updatedAt]);
        }
      }
    }
  }
  return rows;
}

/** Options of {@link orderHistoryRows}. */
export interface OrderHistoryOptions {
  seed?: number;
  /** Days of history, ending at `end`. */
  days: number;
  end?: number;
  customers: readonly Customer[];
  catalog?: Catalog;
  ordersPerDay?: number;
}

/**
 * `ORDERS` rows: `days` of order history with the stream's seasonality and
 * lifecycles, one row per order with its latest status. Order ids start at
 * 1,000,000, apart from the stream's, so history and stream never collide.
 */
export function* orderHistoryRows(options: OrderHistoryOptions): Generator<WarehouseRow> {
  const end = options.end ?? Date.now();
  const byCustomer = new Map(options.customers.map((c) => [`${c.name}|${c.city}`, c.customerId]));
  const generator = new OrderEventGenerator({
    seed: options.seed ?? 42,
    customers: options.customers,
    start: end - options.days * DAY_MS,
    end,
    firstOrderId: 1_000_000,
    ...(options.catalog ? { catalog: options.catalog } : {}),
    ...(options.ordersPerDay ? { ordersPerDay: options.ordersPerDay } : {}),
  });
  // An order's row is final once its lifecycle ends or the history does.
  const open = new Map<number, { row: WarehouseRow; status: EventType }>();
  const FINAL: ReadonlySet<EventType> = new Set(['cancelled', 'returned']);
  for (const e of generator) {
    if (e.event_type === 'order_created') {
      open.set(e.order_id, {
        status: e.event_type,
        row: [
          e.order_id,
          byCustomer.get(`${e.customer_name}|${e.customer_city}`) ?? null,
          Date.parse(e.timestamp),
          e.brand,
          e.model,
          e.color,
          e.size,
          e.quantity,
          e.unit_price,
          e.total_amount,
        ],
      });
      continue;
    }
    const order = open.get(e.order_id);
    if (!order) continue;
    order.status = e.event_type;
    if (FINAL.has(e.event_type)) {
      open.delete(e.order_id);
      yield [...order.row, order.status];
    }
  }
  for (const order of open.values()) yield [...order.row, order.status];
}
