import { z } from 'zod';
import { hasTimeZone, isoTimestampMs } from './iso-timestamp.js';
import type { EventType } from './lifecycle.js';

/** Earliest event time accepted: older timestamps are treated as corrupt. */
export const EARLIEST_EVENT_MS = Date.UTC(2000, 0, 1);
/** How far in the future an event time may be (clock skew between hosts). */
export const MAX_CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

/** Rounds a euro amount to cents, the way totals are computed. */
export function roundToCents(amount: number): number {
  return Math.round(amount * 100) / 100;
}

/** Most characters of each text field: longer values are not names but corrupt or hostile data. */
export const TEXT_LIMITS = {
  event_id: 64,
  event_type: 40,
  customer_name: 200,
  customer_city: 100,
  brand: 50,
  model: 100,
  color: 50,
  size: 10,
} as const;

/** An event timestamp as ms since epoch; a date-time without a zone is read as UTC (Python's `isoformat()` writes none). */
export function eventTimeMs(timestamp: string): number {
  const ms = isoTimestampMs(timestamp);
  if (ms === ms) return ms;
  return Date.parse(hasTimeZone(timestamp) ? timestamp : `${timestamp}Z`);
}

const text = (max: number) => z.string().max(max).regex(/\S/, 'expected a non-blank text');

/**
 * The order event as producers send it — the original system's format — and
 * the only judge of what is a dead letter. It checks structure, not the
 * catalog: a record is rejected only when it cannot be stored faithfully (a
 * required field missing or of the wrong type, an impossible value). Values
 * are returned unchanged (nothing trimmed or rounded), and fields it does not
 * know are kept, so nothing a producer sends is lost.
 *
 * | field | type | required | rule |
 * | --- | --- | --- | --- |
 * | `event_id` | string | no | 1–64 characters; derived from the record's topic, partition and offset when absent |
 * | `event_type` | string | yes | non-blank, ≤ 40; unknown types load flagged |
 * | `timestamp` | string | yes | ISO-8601 date-time, with a zone or read as UTC; 2000-01-01 to now + 1 day |
 * | `order_id` | integer | yes | ≥ 1, exact in a double |
 * | `customer_name`, `customer_city` | string | yes | non-blank, ≤ 200 / ≤ 100 |
 * | `brand`, `model`, `color`, `size` | string | yes | non-blank, ≤ 50 / 100 / 50 / 10; unknown ones load flagged |
 * | `unit_price` | number | yes | 0 to 100,000 |
 * | `total_amount` | number | yes | 0 to 10,000,000; a total other than price × quantity loads flagged |
 * | `quantity` | integer | yes | 1 to 1,000 |
 * | anything else | any JSON | no | kept as it is (`EXTRA_FIELDS`) |
 *
 * @example
 * ```ts
 * import { OrderEventSchema } from '@sneakpipe/sneakers';
 *
 * declare const text: string; // a record's JSON
 * const result = OrderEventSchema.safeParse(JSON.parse(text));
 * if (result.success) console.log(result.data.brand, result.data.discount_code);
 * ```
 */
export const OrderEventSchema = z
  .looseObject({
    event_id: text(TEXT_LIMITS.event_id)
      .optional()
      .describe('Unique id of the event. When absent, sneakpipe derives one from where the record came from: topic:partition:offset.'),
    event_type: text(TEXT_LIMITS.event_type).describe(
      'order_created, payment_confirmed, shipped, delivered, cancelled or returned; other types load, flagged unknown_event_type.',
    ),
    timestamp: z.iso
      .datetime({ offset: true, local: true })
      .refine(
        (t) => {
          const at = eventTimeMs(t);
          return at >= EARLIEST_EVENT_MS && at <= Date.now() + MAX_CLOCK_SKEW_MS;
        },
        { message: 'out of the plausible range (2000 to now + 1 day)' },
      )
      .describe('When the event happened: ISO-8601, with a zone (Z or +02:00) or read as UTC (flagged); from 2000 to now + 1 day.'),
    order_id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).describe('The order this event belongs to.'),
    customer_name: text(TEXT_LIMITS.customer_name),
    customer_city: text(TEXT_LIMITS.customer_city),
    brand: text(TEXT_LIMITS.brand).describe('Brands the catalog does not know load, flagged unknown_brand.'),
    model: text(TEXT_LIMITS.model).describe('Models the catalog does not list for the brand load, flagged unknown_model.'),
    color: text(TEXT_LIMITS.color),
    size: text(TEXT_LIMITS.size).describe('EU size as text, e.g. "42" or "42.5".'),
    unit_price: z.number().min(0).max(100_000).describe('Euros.'),
    total_amount: z
      .number()
      .min(0)
      .max(10_000_000)
      .describe('Euros. A total other than unit_price × quantity (a discount) loads, flagged total_mismatch.'),
    quantity: z.number().int().min(1).max(1000),
  })
  .meta({
    title: 'Sneaker order event',
    description:
      "One event of an order's life, as producers publish it to Kafka (the original system's format). Fields not listed here are allowed and kept.",
  });

/**
 * An order event as received: the original format's fields (`event_id`
 * optional, any `event_type`) plus whatever else the producer sent.
 */
export type ReceivedOrderEvent = z.output<typeof OrderEventSchema>;

/**
 * An order event as sneakpipe's generator makes it: every field present, a
 * known event type. It is also a {@link ReceivedOrderEvent}.
 */
export type OrderEvent = {
  event_id: string;
  event_type: EventType;
  timestamp: string;
  order_id: number;
  customer_name: string;
  customer_city: string;
  brand: string;
  model: string;
  color: string;
  size: string;
  unit_price: number;
  total_amount: number;
  quantity: number;
};

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

/**
 * The JSON Schema (draft 2020-12) of the order event, generated from
 * {@link OrderEventSchema}, for producers in other languages and for schema
 * registries. Rules that JSON Schema cannot state (the plausible time range)
 * are in the descriptions; unknown fields are allowed and kept.
 */
export function orderEventJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(OrderEventSchema, { io: 'input', unrepresentable: 'any' });
}
