import { firstValueFrom, from, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { orderEventCodec } from './order-event-codec.js';
import { deserialize, type SourceRecord } from '@sneakpipe/core';
import { OrderEventGenerator } from '../generator/order-event-generator.js';

const good = [...new OrderEventGenerator({ seed: 5, start: Date.UTC(2025, 0, 1), end: Date.UTC(2025, 0, 1, 2) })][0]!;
const enc = (x: unknown) => new TextEncoder().encode(typeof x === 'string' ? x : JSON.stringify(x));
const record = (value: Uint8Array, offset: number): SourceRecord => ({
  topic: 't',
  partition: 1,
  offset,
  key: null,
  value,
  timestamp: 0,
});

const cases: Array<[string, Uint8Array, RegExp]> = [
  ['malformed JSON', enc('{"event_id": '), /invalid JSON/],
  ['not UTF-8', new Uint8Array([0xff, 0xfe, 0x7b]), /UTF-8/],
  ['a JSON array', enc([1, 2]), /schema/],
  ['wrong type', enc({ ...good, quantity: '2' }), /quantity/],
  ['missing field', enc((({ brand: _b, ...rest }) => rest)(good)), /brand/],
  ['zero quantity', enc({ ...good, quantity: 0, total_amount: 0 }), /quantity/],
  ['negative price', enc({ ...good, unit_price: -1 }), /unit_price/],
  ['blank brand', enc({ ...good, brand: '  ' }), /brand/],
  ['size as a number', enc({ ...good, size: 42 }), /size/],
  ['timestamp in year 9999', enc({ ...good, timestamp: '9999-01-01T00:00:00Z' }), /timestamp/],
  ['timestamp that is not a date', enc({ ...good, timestamp: 'yesterday' }), /timestamp/],
];
/** Merely unexpected: these load (the warehouse row flags them). */
const unexpected: Array<[string, Uint8Array]> = [
  ['total ≠ price × quantity', enc({ ...good, total_amount: good.total_amount + 1 })],
  ['unknown brand', enc({ ...good, brand: 'Crocs' })],
  ['model of another brand', enc({ ...good, brand: 'Vans', model: 'Air Max' })],
  ['unknown event type', enc({ ...good, event_type: 'teleported' })],
  ['no event_id', enc((({ event_id: _e, ...rest }) => rest)(good))],
];

describe('deserialize()', () => {
  it('passes valid records through with their position, and turns each bad one into a dead letter with a reason and the original bytes', async () => {
    const records = [record(enc(good), 0), ...cases.map(([, bytes], i) => record(bytes, i + 1)), record(enc(good), 99)];
    const out = await firstValueFrom(from(records).pipe(deserialize(orderEventCodec), toArray()));
    expect(out).toHaveLength(records.length);
    expect(out[0]).toMatchObject({ ok: true, value: good, position: { topic: 't', partition: 1, offset: 0 } });
    expect(out.at(-1)).toMatchObject({ ok: true, position: { offset: 99 } });
    cases.forEach(([name, bytes, reason], i) => {
      const d = out[i + 1]!;
      expect(d.ok, name).toBe(false);
      if (d.ok) return;
      expect(d.reason, name).toMatch(reason);
      expect(d.raw, name).toBe(bytes);
      expect(d.position, name).toEqual({ topic: 't', partition: 1, offset: i + 1 });
    });
  });

  it('passes what is merely unexpected through, values unchanged', async () => {
    const out = await firstValueFrom(
      from(unexpected.map(([, bytes], i) => record(bytes, i))).pipe(deserialize(orderEventCodec), toArray()),
    );
    unexpected.forEach(([name, bytes], i) => {
      expect(out[i], name).toMatchObject({ ok: true, value: JSON.parse(new TextDecoder().decode(bytes)) });
    });
  });

  it('keeps extra fields (nothing a producer sends is dropped)', async () => {
    const [d] = await firstValueFrom(
      from([record(enc({ ...good, coupon: 'X', nested: { a: [1] } }), 0)]).pipe(deserialize(orderEventCodec), toArray()),
    );
    expect(d).toMatchObject({ ok: true, value: { ...good, coupon: 'X', nested: { a: [1] } } });
  });

  it('keeps SQL-looking and emoji names verbatim', async () => {
    const name = "Robert'); DROP TABLE STREAMING_ORDERS;-- 👟";
    const [d] = await firstValueFrom(
      from([record(enc({ ...good, customer_name: name }), 0)]).pipe(deserialize(orderEventCodec), toArray()),
    );
    expect(d!.ok && d!.value.customer_name).toBe(name);
  });
});
