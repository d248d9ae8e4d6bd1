import { regexes, util } from 'zod/v4/core';
import { isoTimestampMs } from './iso-timestamp.js';
import { EARLIEST_EVENT_MS, MAX_CLOCK_SKEW_MS, TEXT_LIMITS, eventTimeMs, type ReceivedOrderEvent } from './order-event.js';

/*
 * The hot path of the pipeline validates every event. zod gives precise
 * reasons but costs several times what parsing the event does; this
 * hand-written twin costs a fraction of that. It never decides alone: it says
 * yes only where the zod schema accepts the value, and anything else goes
 * through zod, which gives the reason. Property tests pin it against zod.
 *
 * (Encoding has no twin: on Node 24 `JSON.stringify` is as fast as a
 * hand-written one, and its flat string makes `Buffer.from` cheaper than a
 * concatenated one does.)
 */

// The very regex zod's `z.iso.datetime({ offset: true, local: true })` checks with.
const ISO_DATETIME = regexes.datetime({ offset: true, local: true, precision: null });
const NON_BLANK = /\S/;
const L = TEXT_LIMITS;

// zod measures strings in code points (a surrogate pair is one), as here.
// A printable ASCII first character is not blank: the regex only for the rest (leading spaces, other scripts).
const nonBlank = (v: string) => {
  const first = v.charCodeAt(0);
  return (first > 32 && first < 127) || NON_BLANK.test(v);
};
const text = (v: unknown, max: number): boolean =>
  typeof v === 'string' && (v.length <= max || util.codePointLength(v) <= max) && nonBlank(v);
const amount = (v: unknown, max: number): v is number => typeof v === 'number' && v >= 0 && v <= max;
const integer = (v: unknown, min: number, max: number): v is number =>
  Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;

/**
 * A check that is true only for values {@link OrderEventSchema} accepts (it
 * returns them unchanged, extra fields included) — so the value can be used as
 * it is. `false` means "ask zod", not "invalid".
 */
export function orderEventFastCheck(json: unknown): json is ReceivedOrderEvent {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const e = json as Record<string, unknown>;
  if (
    (e.event_id !== undefined && !text(e.event_id, L.event_id)) ||
    !text(e.event_type, L.event_type) ||
    typeof e.timestamp !== 'string' ||
    !integer(e.order_id, 1, Number.MAX_SAFE_INTEGER) ||
    !text(e.customer_name, L.customer_name) ||
    !text(e.customer_city, L.customer_city) ||
    !text(e.brand, L.brand) ||
    !text(e.model, L.model) ||
    !text(e.color, L.color) ||
    !text(e.size, L.size) ||
    !amount(e.unit_price, 100_000) ||
    !amount(e.total_amount, 10_000_000) ||
    !integer(e.quantity, 1, 1000)
  ) {
    return false;
  }
  // A time isoTimestampMs reads is one zod's regex accepts; only other forms are tested against it.
  let at = isoTimestampMs(e.timestamp);
  if (at !== at) {
    if (!ISO_DATETIME.test(e.timestamp)) return false;
    at = eventTimeMs(e.timestamp);
  }
  return at >= EARLIEST_EVENT_MS && at <= Date.now() + MAX_CLOCK_SKEW_MS;
}
