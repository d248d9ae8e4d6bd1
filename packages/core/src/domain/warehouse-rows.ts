import type { DeadLetter, ValidRecord } from '../contracts/records.js';
import type { OrderEvent } from './order-event.js';

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

/** Maps a valid event to its `STREAMING_ORDERS` row. */
export function streamingOrderRow(record: ValidRecord<OrderEvent>): StreamingOrderRow {
  const e = record.value;
  return [
    e.event_id,
    e.event_type,
    Date.parse(e.timestamp),
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
    record.position?.partition ?? null,
    record.position?.offset ?? null,
  ];
}

/**
 * The id that makes dead-letter loads idempotent: the source position when
 * there is one (a replay of the same offset is the same dead letter), else a
 * hash of the bytes and reason.
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
