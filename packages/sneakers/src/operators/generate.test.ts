import { BehaviorSubject, VirtualAction, VirtualTimeScheduler, lastValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { OrderEventSchema, type OrderEvent } from '../domain/order-event.js';
import { OrderEventGenerator } from '../generator/order-event-generator.js';
import { generate } from './generate.js';

const DAY = 86_400_000;

function virtual(start = Date.UTC(2025, 5, 1)) {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Infinity);
  // Virtual time starts at 0; shift it so timestamps are plausible dates.
  const now = () => start + scheduler.frame;
  return Object.assign(scheduler, { now });
}

describe('generate()', () => {
  it('emits exactly `count` valid events, then completes', async () => {
    const events = await lastValueFrom(generate({ count: 2_500, seed: 1, chunkSize: 1_000 }).pipe(toArray()));
    expect(events).toHaveLength(2_500);
    for (const e of events) expect(OrderEventSchema.safeParse(e).success).toBe(true);
  });

  it('is deterministic for a seed (ids and content; timestamps come from the clock)', async () => {
    const run = (seed: number, start?: number) => lastValueFrom(generate({ count: 300, seed, scheduler: virtual(start) }).pipe(toArray()));
    const first = await run(9);
    // Every field of every event, ids and content alike (both clocks read the same virtual time).
    expect(await run(9)).toEqual(first);
    // On another clock only the timestamps move: the content is the seed's.
    const withoutTime = (events: OrderEvent[]) => events.map(({ timestamp: _, ...rest }) => rest);
    const later = await run(9, Date.UTC(2025, 8, 1));
    expect(later.map((e) => e.timestamp)).not.toEqual(first.map((e) => e.timestamp));
    expect(withoutTime(later)).toEqual(withoutTime(first));
    // And the content is the seed's, not a constant: another seed gives other orders.
    const content = (events: OrderEvent[]) => events.map(({ event_id: _, timestamp: __, ...rest }) => rest);
    expect(content(await run(10))).not.toEqual(content(first));
  });

  it('keeps the rate on virtual time: 50 events/s for 10 s gives about 500 events, stamped with the clock', () => {
    const scheduler = virtual();
    const seen: { at: number; e: OrderEvent }[] = [];
    const sub = generate({ rate: 50, seed: 2, scheduler }).subscribe((e) => seen.push({ at: scheduler.now(), e }));
    scheduler.schedule(() => sub.unsubscribe(), 10_000);
    scheduler.flush();
    expect(seen.length).toBeGreaterThanOrEqual(495);
    expect(seen.length).toBeLessThanOrEqual(505);
    for (const { at, e } of seen) expect(Date.parse(e.timestamp)).toBe(at);
    // Evenly spread: no second holds more than its share plus a tick.
    const perSecond = new Map<number, number>();
    for (const { at } of seen)
      perSecond.set(Math.floor((at - seen[0]!.at) / 1000), (perSecond.get(Math.floor((at - seen[0]!.at) / 1000)) ?? 0) + 1);
    for (const n of perSecond.values()) expect(n).toBeLessThanOrEqual(55);
  });

  it('pauses while told to, without a burst on resume', () => {
    const scheduler = virtual();
    const paused = new BehaviorSubject(false);
    const times: number[] = [];
    const sub = generate({ rate: 100, seed: 3, scheduler, paused }).subscribe(() => times.push(scheduler.frame));
    scheduler.schedule(() => paused.next(true), 1_000);
    scheduler.schedule(() => paused.next(false), 6_000);
    scheduler.schedule(() => sub.unsubscribe(), 7_000);
    scheduler.flush();
    expect(times.filter((t) => t > 1_000 && t < 6_000)).toEqual([]);
    expect(times.filter((t) => t >= 6_000).length).toBeLessThanOrEqual(105);
    expect(times.filter((t) => t >= 6_000).length).toBeGreaterThanOrEqual(95);
  });

  it('backfills `days` of history ending now, in time order, as fast as possible', async () => {
    const scheduler = virtual(Date.UTC(2025, 5, 15));
    const events: OrderEvent[] = [];
    let completed = false;
    generate({ mode: 'backfill', days: 3, seed: 4, ordersPerDay: 500, scheduler }).subscribe({
      next: (e) => events.push(e),
      complete: () => (completed = true),
    });
    scheduler.flush();
    expect(completed).toBe(true);
    const times = events.map((e) => Date.parse(e.timestamp));
    expect(events.length).toBeGreaterThan(1_000);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(scheduler.now() - 3 * DAY);
    expect(Math.max(...times)).toBeLessThanOrEqual(scheduler.now());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('stops when the subscriber has enough: no event drawn past the last one taken, nothing left scheduled', () => {
    const draws = vi.spyOn(OrderEventGenerator.prototype, 'draw');
    try {
      const scheduler = virtual();
      let taken = 0;
      // 250 events from chunks of 100: the third chunk is cut short.
      generate({ seed: 5, chunkSize: 100, scheduler })
        .pipe(take(250))
        .subscribe(() => taken++);
      scheduler.flush();
      expect(taken).toBe(250);
      expect(draws).toHaveBeenCalledTimes(250);
      expect(scheduler.actions).toHaveLength(0);
    } finally {
      draws.mockRestore();
    }
  });

  it('rejects nonsense options', () => {
    expect(() => generate({ rate: 0 })).toThrow(/rate/);
    expect(() => generate({ count: -1 })).toThrow(/count/);
  });
});
