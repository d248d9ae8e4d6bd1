import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderEventGenerator } from '../generator/order-event-generator.js';
import { DEFAULT_CATALOG } from './catalog.js';
import { EVENT_TYPES } from './lifecycle.js';
import { orderEventFastCheck } from './order-event-fast-path.js';
import { ORDER_EVENT_FIELDS, OrderEventSchema } from './order-event.js';

const generated = [...new OrderEventGenerator({ seed: 21, start: Date.UTC(2025, 0, 1), end: Date.UTC(2025, 0, 2) })].slice(0, 500);
const accepts = orderEventFastCheck;
const brands = DEFAULT_CATALOG.brands.map((b) => b.name);
const models = DEFAULT_CATALOG.brands.flatMap((b) => b.models.map((m) => m.name));

/** Strings that stress every rule: whitespace at the ends, escapes, lone surrogates, emoji, lengths at the bounds. */
const nastyString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 70 }),
  fc.string({ unit: 'binary', maxLength: 70 }),
  fc.constantFrom('', ' ', ' x', 'x ', '\t', 'a"b', 'a\\b', '\u0000', '\ud800', '👟', 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(201)),
  fc.constantFrom(...brands, ...models, ...EVENT_TYPES),
);
const nastyTimestamp = fc.oneof(
  fc.date({ min: new Date(Date.UTC(1990, 0, 1)), max: new Date(Date.UTC(2100, 0, 1)), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    '2025-02-29T10:00:00Z',
    '2024-02-29T10:00:00Z',
    '2025-01-01T24:00:00Z',
    '2025-01-01T10:00:00+02:00',
    '2025-01-01T10:00:00+24:00',
    '2025-01-01T10:00Z',
    '2025-01-01 10:00:00Z',
    '2025-01-01T10:00:00.123456789Z',
    '2025-01-01T10:00:00',
  ),
);
const nastyNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -1, 1, 1000, 1001, 100_000, 100_000.01, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 1.5),
);
const fieldValue: Record<string, fc.Arbitrary<unknown>> = {
  timestamp: nastyTimestamp,
  order_id: nastyNumber,
  unit_price: nastyNumber,
  total_amount: nastyNumber,
  quantity: nastyNumber,
  size: fc.oneof(fc.constantFrom('42', '42.5', '4', '42.0', '142', ' 42'), nastyString),
};
/** A generated event with some fields replaced, deleted, retyped, or an extra key. */
const mutatedEvent = fc
  .tuple(
    fc.constantFrom(...generated),
    fc.array(
      fc.tuple(
        fc.constantFrom(...ORDER_EVENT_FIELDS, 'extra'),
        fc.oneof(
          fc.constant<'delete'>('delete'),
          fc.constant<'null'>('null'),
          fc.constant<'value'>('value'),
          fc.constant<'string'>('string'),
        ),
      ),
      { maxLength: 3 },
    ),
    fc.infiniteStream(fc.oneof(nastyString, nastyNumber, nastyTimestamp)),
  )
  .chain(([event, edits]) =>
    fc.tuple(...edits.map(([field]) => fieldValue[field] ?? nastyString)).map((values) => {
      const copy: Record<string, unknown> = { ...event };
      edits.forEach(([field, kind], i) => {
        if (kind === 'delete') delete copy[field];
        else if (kind === 'null') copy[field] = null;
        else if (kind === 'string') copy[field] = String(values[i]);
        else copy[field] = values[i];
      });
      return copy;
    }),
  );

describe('the order event fast path', () => {
  it('accepts every generated event (so the pipeline really takes it)', () => {
    for (const e of generated) expect(accepts(JSON.parse(JSON.stringify(e))), e.event_id).toBe(true);
  });

  it('agrees with zod on every value, and zod returns it unchanged (fast-check, 5,000 mutated events)', () => {
    fc.assert(
      fc.property(mutatedEvent, (candidate) => {
        const json = JSON.parse(JSON.stringify(candidate)) as unknown;
        const parsed = OrderEventSchema.safeParse(json);
        expect(accepts(json), JSON.stringify(json)).toBe(parsed.success);
        if (parsed.success) expect(parsed.data).toEqual(json);
      }),
      { numRuns: 5_000 },
    );
  });

  it('takes what is merely unexpected (flags decide about it later) and rejects what cannot be stored', () => {
    const e = generated[0]!;
    const { event_id: _, ...withoutId } = e;
    const unexpected: unknown[] = [
      { ...e, brand: 'Crocs' },
      { ...e, brand: 'Vans', model: 'Air Max' },
      { ...e, total_amount: e.total_amount + 1 },
      { ...e, customer_name: ' padded ' },
      { ...e, coupon: 'X', nested: { a: [1] } },
      { ...e, event_type: 'exchanged' },
      { ...e, timestamp: '2025-01-15T14:30:45.123456' },
      withoutId,
    ];
    for (const u of unexpected) expect(accepts(u), JSON.stringify(u)).toBe(true);
    const bad: unknown[] = [
      { ...e, quantity: 0 },
      { ...e, unit_price: -1 },
      { ...e, timestamp: '9999-01-01T00:00:00Z' },
      { ...e, timestamp: 'yesterday' },
      { ...e, customer_name: '  ' },
      { ...e, size: 42 },
      { ...e, event_id: '' },
      [e],
      null,
    ];
    for (const b of bad) expect(accepts(b), JSON.stringify(b)).toBe(false);
  });
});
