import { z } from 'zod';
import { DEFAULT_CATALOG, type Catalog } from './catalog.js';
import { EVENT_TYPES } from './lifecycle.js';

/** Earliest event time accepted: older timestamps are treated as corrupt. */
export const EARLIEST_EVENT_MS = Date.UTC(2000, 0, 1);
/** How far in the future an event time may be (clock skew between hosts). */
export const MAX_CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

/** Rounds a euro amount to cents, the way totals are computed. */
export function roundToCents(amount: number): number {
  return Math.round(amount * 100) / 100;
}

/**
 * Builds the zod schema of an order event for a catalog: brand and model must
 * come from it, `total_amount` must equal `unit_price × quantity` to the cent,
 * and the timestamp must be a plausible ISO-8601 instant.
 *
 * @example
 * ```ts
 * const schema = createOrderEventSchema(myCatalog);
 * const result = schema.safeParse(JSON.parse(text));
 * ```
 */
export function createOrderEventSchema(catalog: Catalog = DEFAULT_CATALOG) {
  const modelsByBrand = new Map(catalog.brands.map((b) => [b.name, new Set(b.models.map((x) => x.name))]));
  const text = (max: number) => z.string().trim().min(1).max(max);
  return z
    .object({
      event_id: text(64),
      event_type: z.enum(EVENT_TYPES),
      timestamp: z.iso.datetime({ offset: true }),
      order_id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
      customer_name: text(200),
      customer_city: text(100),
      brand: text(50),
      model: text(100),
      color: text(50),
      size: z.string().regex(/^\d{2}(\.5)?$/, 'expected an EU size such as "42" or "42.5"'),
      unit_price: z.number().positive().max(100_000),
      total_amount: z.number().positive().max(10_000_000),
      quantity: z.number().int().min(1).max(1000),
    })
    .superRefine((e, ctx) => {
      const models = modelsByBrand.get(e.brand);
      if (!models) {
        ctx.addIssue({ code: 'custom', path: ['brand'], message: `unknown brand "${e.brand}"` });
      } else if (!models.has(e.model)) {
        ctx.addIssue({ code: 'custom', path: ['model'], message: `"${e.model}" is not a ${e.brand} model` });
      }
      if (Math.abs(roundToCents(e.unit_price * e.quantity) - e.total_amount) > 0.005) {
        ctx.addIssue({ code: 'custom', path: ['total_amount'], message: 'expected unit_price × quantity' });
      }
      const at = Date.parse(e.timestamp);
      if (at < EARLIEST_EVENT_MS || at > Date.now() + MAX_CLOCK_SKEW_MS) {
        ctx.addIssue({ code: 'custom', path: ['timestamp'], message: 'out of the plausible range (2000 to now + 1 day)' });
      }
    });
}

/** The order event schema for the default catalog. */
export const OrderEventSchema = createOrderEventSchema();

/**
 * One event of an order's life, as it travels through Kafka (JSON with exactly
 * these snake_case names) and lands in `STREAMING_ORDERS` (upper-cased).
 */
export type OrderEvent = z.infer<typeof OrderEventSchema>;

/** The event fields in their canonical order (the warehouse column order). */
export const ORDER_EVENT_FIELDS = [
  'event_id',
  'event_type',
  'timestamp',
  'order_id',
  'customer_name',
  'customer_city',
  'brand',
  'model',
  'color',
  'size',
  'unit_price',
  'total_amount',
  'quantity',
] as const satisfies readonly (keyof OrderEvent)[];
