import { describe, expect, it } from 'vitest';
import { SNEAKER_BRANDS } from '../domain/catalog.js';
import { isValidLifecycle, type EventType } from '../domain/lifecycle.js';
import { OrderEventSchema, roundToCents, type OrderEvent } from '../domain/order-event.js';
import { OrderEventGenerator } from './order-event-generator.js';

const START = Date.UTC(2025, 0, 6); // a Monday
const DAY = 86_400_000;

function take(generator: Iterator<OrderEvent>, n: number): OrderEvent[] {
  const out: OrderEvent[] = [];
  for (let i = 0; i < n; i++) {
    const r = generator.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

const live = (seed: number) => new OrderEventGenerator({ seed, start: START, clock: () => START, customers: 500 });

describe('OrderEventGenerator', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(take(live(7), 500)).toEqual(take(live(7), 500));
    expect(take(live(8), 50)).not.toEqual(take(live(7), 50));
  });

  const events = take(new OrderEventGenerator({ seed: 1, start: START, end: START + 28 * DAY, ordersPerDay: 200 }), 10_000);

  it('produces only schema-valid events with unique ids', () => {
    for (const e of events) expect(OrderEventSchema.safeParse(e).success, JSON.stringify(e)).toBe(true);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
  });

  it("draws brands and models from the original system's catalog, and all 8 brands appear in 10k events", () => {
    const models = new Map(SNEAKER_BRANDS.map((b) => [b.name, b.models.map((m) => m.name)]));
    for (const e of events) expect(models.get(e.brand)).toContain(e.model);
    expect(new Set(events.map((e) => e.brand)).size).toBe(8);
  });

  it('computes totals as unit price × quantity to the cent, with prices inside the model range', () => {
    const ranges = new Map(SNEAKER_BRANDS.flatMap((b) => b.models.map((m) => [`${b.name}/${m.name}`, m] as const)));
    for (const e of events) {
      expect(e.total_amount).toBe(roundToCents(e.unit_price * e.quantity));
      const range = ranges.get(`${e.brand}/${e.model}`)!;
      expect(e.unit_price).toBeGreaterThanOrEqual(range.minPrice - 0.01);
      expect(e.unit_price).toBeLessThanOrEqual(range.maxPrice);
    }
  });

  it('keeps every order in lifecycle order, with non-decreasing timestamps, and repeats its details', () => {
    const byOrder = new Map<number, OrderEvent[]>();
    for (const e of events) byOrder.set(e.order_id, [...(byOrder.get(e.order_id) ?? []), e]);
    let followedUp = 0;
    for (const history of byOrder.values()) {
      expect(isValidLifecycle(history.map((e) => e.event_type as EventType))).toBe(true);
      for (let i = 1; i < history.length; i++) {
        expect(Date.parse(history[i]!.timestamp)).toBeGreaterThanOrEqual(Date.parse(history[i - 1]!.timestamp));
        const { event_id: _a, event_type: _b, timestamp: _c, ...details } = history[i]!;
        const { event_id: _d, event_type: _e, timestamp: _f, ...first } = history[0]!;
        expect(details).toEqual(first);
      }
      if (history.length > 1) followedUp++;
    }
    expect(followedUp / byOrder.size).toBeGreaterThan(0.8);
  });

  it('skews quantity to 1 and repeats customers', () => {
    const created = events.filter((e) => e.event_type === 'order_created');
    const ones = created.filter((e) => e.quantity === 1).length / created.length;
    expect(ones).toBeGreaterThan(0.7);
    expect(Math.max(...created.map((e) => e.quantity))).toBeLessThanOrEqual(3);
    expect(new Set(created.map((e) => e.customer_name)).size).toBeLessThan(created.length * 0.9);
  });

  it('backfill follows seasonality: evenings busier than nights, weekends busier than midweek', () => {
    const created = events.filter((e) => e.event_type === 'order_created').map((e) => new Date(e.timestamp));
    const hours = (from: number, to: number) => created.filter((d) => d.getUTCHours() >= from && d.getUTCHours() < to).length;
    expect(hours(18, 22)).toBeGreaterThan(3 * hours(2, 6));
    const weekday = (day: number) => created.filter((d) => d.getUTCDay() === day).length;
    expect(weekday(6)).toBeGreaterThan(weekday(2));
  });

  it('stops at the simulated end in backfill mode', () => {
    const end = START + DAY;
    const all = [...new OrderEventGenerator({ seed: 3, start: START, end })];
    expect(all.length).toBeGreaterThan(1_000);
    for (const e of all) expect(Date.parse(e.timestamp)).toBeLessThanOrEqual(end);
  });

  it('rejects nonsense options', () => {
    expect(() => new OrderEventGenerator({ ordersPerDay: 0 })).toThrow(/ordersPerDay/);
    expect(() => new OrderEventGenerator({ customers: 0 })).toThrow(/customer pool/);
  });
});
