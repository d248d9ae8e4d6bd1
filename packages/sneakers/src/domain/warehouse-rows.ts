import type { DeadLetter, Decoded, ExtraFields, RecordPosition, SchemaEvolution, TableRows, ValidRecord } from '@sneakpipe/core';
import { ORDER_EVENT_FIELDS, eventTimeMs, type ReceivedOrderEvent } from './order-event.js';
import { orderEventQualityFlags, type QualityFlag } from './order-event-quality.js';
import { DEAD_LETTERS, STREAMING_ORDERS } from './warehouse-tables.js';

/**
 * A `STREAMING_ORDERS` row as plain values in column order (PROCESSED_AT left
 * to the warehouse's default). Timestamps are ms since epoch (UTC).
 */
export type StreamingOrderRow = [
  eventId: string,
  eventType: string,
  timestampMs: number,
  orderId: number,
  customerName: string,
  customerCity: string,
  brand: string,
  model: string,
  color: string,
  size: string,
  unitPrice: number,
  totalAmount: number,
  quantity: number,
  kafkaPartition: number | null,
  kafkaOffset: number | null,
  qualityFlags: string | null,
  extraFields: string | null,
];

/** A `DEAD_LETTERS` row in column order (PROCESSED_AT left to the warehouse). */
export type DeadLetterRow = [
  deadLetterId: string,
  reason: string,
  raw: Uint8Array,
  sourceTopic: string | null,
  sourcePartition: number | null,
  sourceOffset: number | null,
  failedAtMs: number,
];

const KNOWN_FIELDS: ReadonlySet<string> = new Set(ORDER_EVENT_FIELDS);

/** The fields of an event that have no column of `STREAMING_ORDERS` as defined; `undefined` when there are none. */
export function extraFields(event: ReceivedOrderEvent): ExtraFields | undefined {
  let extra: Record<string, unknown> | undefined;
  for (const key in event) {
    if (KNOWN_FIELDS.has(key)) continue;
    // No prototype: a field named __proto__ (JSON.parse makes it an own field) is kept, not taken for the prototype.
    (extra ??= Object.create(null) as Record<string, unknown>)[key] = event[key];
  }
  return extra;
}

/** The fields of an event that have no column, as JSON text; `null` when there are none. */
export function extraFieldsJson(event: ReceivedOrderEvent): string | null {
  const extra = extraFields(event);
  return extra ? JSON.stringify(extra) : null;
}

/**
 * The id of an event that came without one: where it came from
 * (`topic:partition:offset`), so a replay of the same record gets the same id.
 */
export function derivedEventId(position: RecordPosition): string {
  return `${position.topic}:${position.partition}:${position.offset}`;
}

/** Options of {@link streamingOrderRow}. */
export interface StreamingOrderRowOptions {
  /** The data-quality check. Default: the default catalog's. */
  qualityFlags?: (event: ReceivedOrderEvent) => readonly QualityFlag[];
}

/**
 * Maps a valid event to its `STREAMING_ORDERS` row: an absent `event_id` is
 * derived from the position, data-quality flags are joined with commas, and
 * the fields without a column are kept as JSON.
 */
export function streamingOrderRow(record: ValidRecord<ReceivedOrderEvent>, options: StreamingOrderRowOptions = {}): StreamingOrderRow {
  return definedRow(record, options, extraFieldsJson(record.value));
}

/** The row with this `EXTRA_FIELDS` cell. */
function definedRow(record: ValidRecord<ReceivedOrderEvent>, options: StreamingOrderRowOptions, extras: string | null): StreamingOrderRow {
  const e = record.value;
  const p = record.position;
  const flags = (options.qualityFlags ?? orderEventQualityFlags)(e);
  const eventId = e.event_id ?? (p ? derivedEventId(p) : undefined);
  if (eventId === undefined) throw new Error('an event without event_id needs a source position to derive one');
  return [
    eventId,
    e.event_type,
    eventTimeMs(e.timestamp),
    e.order_id,
    e.customer_name,
    e.customer_city,
    e.brand,
    e.model,
    e.color,
    e.size,
    e.unit_price,
    e.total_amount,
    e.quantity,
    p?.partition ?? null,
    p?.offset ?? null,
    flags.length > 0 ? flags.join(',') : null,
    extras,
  ];
}

/**
 * The id of a dead letter: its source position when there is one (a replay of
 * the same offset is the same dead letter), else a hash of the bytes and reason.
 */
export function deadLetterId(deadLetter: DeadLetter): string {
  const p = deadLetter.position;
  if (p) return `${p.topic}:${p.partition}:${p.offset}`;
  let h = 0x811c9dc5;
  const mix = (byte: number) => (h = Math.imul(h ^ byte, 0x01000193));
  deadLetter.raw.forEach(mix);
  for (let i = 0; i < deadLetter.reason.length; i++) mix(deadLetter.reason.charCodeAt(i) & 0xff);
  return `unpositioned:${(h >>> 0).toString(16)}:${deadLetter.raw.byteLength}`;
}

/** Maps a dead letter to its `DEAD_LETTERS` row. */
export function deadLetterRow(deadLetter: DeadLetter): DeadLetterRow {
  const p = deadLetter.position;
  return [
    deadLetterId(deadLetter),
    deadLetter.reason,
    deadLetter.raw,
    p?.topic ?? null,
    p?.partition ?? null,
    p?.offset ?? null,
    deadLetter.failedAt,
  ];
}

/**
 * A batch of decoded order events as rows to append: valid events to
 * `STREAMING_ORDERS`, dead letters to `DEAD_LETTERS`. The `rows` of a
 * `positionedSink` into the shop's warehouse.
 */
export function orderEventTables(batch: readonly Decoded<ReceivedOrderEvent>[], options: StreamingOrderRowOptions = {}): TableRows[] {
  const orders: StreamingOrderRow[] = [];
  const dead: DeadLetterRow[] = [];
  for (const item of batch) item.ok ? orders.push(streamingOrderRow(item, options)) : dead.push(deadLetterRow(item));
  return [
    { table: STREAMING_ORDERS, rows: orders },
    { table: DEAD_LETTERS, rows: dead },
  ];
}

/**
 * {@link orderEventTables} with schema evolution of `STREAMING_ORDERS`: the
 * fields of each event without a defined column go to `evolution`, which adds
 * the columns new ones need and places each value (see `schemaEvolution`).
 * The events are not parsed again: their fields are read from the decoded
 * values.
 */
export async function evolvingOrderEventTables(
  batch: readonly Decoded<ReceivedOrderEvent>[],
  evolution: SchemaEvolution,
  options: StreamingOrderRowOptions = {},
): Promise<TableRows[]> {
  const orders: StreamingOrderRow[] = [];
  const extras: (ExtraFields | undefined)[] = [];
  const dead: DeadLetterRow[] = [];
  for (const item of batch) {
    if (!item.ok) {
      dead.push(deadLetterRow(item));
      continue;
    }
    orders.push(definedRow(item, options, null));
    extras.push(extraFields(item.value));
  }
  return [...(await evolution.complete(orders, extras)), { table: DEAD_LETTERS, rows: dead }];
}
