import { describe, expect, it } from 'vitest';
import { OrderEventGenerator } from './order-event-generator.js';
import { afterIntensity, intensityAt } from './seasonality.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MONDAY = Date.UTC(2026, 10, 30);

/** ∫ intensity over [from, to), minute by minute. */
const work = (from: number, to: number) => {
  let sum = 0;
  for (let t = from; t < to; t += 60_000) sum += intensityAt(t) * Math.min(60_000, to - t);
  return sum;
};

describe('afterIntensity', () => {
  it('returns the instant at which the intensity integrated since `from` reaches `work`', () => {
    for (const from of [MONDAY, MONDAY + 3.5 * HOUR, MONDAY + 21 * HOUR + 40 * 60_000]) {
      for (const ms of [1, 30_000, HOUR, 9 * HOUR, 3 * DAY]) {
        const at = afterIntensity(from, ms);
        expect(at).toBeGreaterThan(from);
        expect(work(from, at) / ms).toBeCloseTo(1, 2);
      }
    }
  });

  it('skips whole weeks (a week holds a week of average time), and gives up on nonsense without looping', () => {
    for (const weeks of [1, 3, 520]) {
      const ms = weeks * 7 * DAY + 5 * HOUR;
      expect(afterIntensity(MONDAY + 2 * HOUR, ms) - weeks * 7 * DAY).toBeCloseTo(afterIntensity(MONDAY + 2 * HOUR, 5 * HOUR), -1);
    }
    expect(afterIntensity(MONDAY, 0)).toBe(MONDAY);
    expect(afterIntensity(MONDAY, Number.NaN)).toBe(MONDAY);
    expect(afterIntensity(MONDAY, Infinity)).toBe(Infinity);
    expect(afterIntensity(Infinity, 1)).toBe(Infinity);
  });

  it('at a quiet hour a gap lasts longer than at a busy one', () => {
    expect(afterIntensity(MONDAY + 4 * HOUR, 60_000) - MONDAY - 4 * HOUR).toBeGreaterThan(
      10 * (afterIntensity(MONDAY + 20 * HOUR, 60_000) - MONDAY - 20 * HOUR),
    );
  });
});

describe('seasonal arrivals', () => {
  // A day-long window holds about a day's orders whatever hour it starts at; a
  // gap drawn at the starting hour's rate left windows that start in the
  // evening (and run into the night) with a quarter of them.
  it('a one-day window holds about ordersPerDay orders, whichever hour it starts', () => {
    for (let hour = 0; hour < 24; hour++) {
      const start = MONDAY + hour * HOUR + 40 * 60_000;
      const end = start + DAY;
      // Few orders a day, as `seed --orders-per-day 40` makes, over ten seeds.
      let created = 0;
      for (let seed = 0; seed < 10; seed++) {
        const generator = new OrderEventGenerator({ seed: hour * 100 + seed, customers: 50, ordersPerDay: 40, start, end });
        for (const e of generator) if (e.event_type === 'order_created') created++;
      }
      const expected = (10 * 40 * work(start, end)) / DAY;
      expect(created / expected, `window starting at ${new Date(start).toISOString()}`).toBeGreaterThan(0.8);
      expect(created / expected, `window starting at ${new Date(start).toISOString()}`).toBeLessThan(1.2);
    }
  });
});
