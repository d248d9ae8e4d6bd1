import fc from 'fast-check';
import { Observable, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { batch } from './batch.js';

interface Item {
  readonly id: number;
  readonly size: number;
  arrivedAt: number;
}

interface Scenario {
  readonly arrivals: ReadonlyArray<{ readonly size: number; readonly gap: number }>;
  readonly maxCount: number;
  readonly maxBytes: number;
  readonly maxWaitMs: number;
  readonly endGap: number;
  readonly ending: 'complete' | 'error';
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  arrivals: fc.array(fc.record({ size: fc.nat(300), gap: fc.nat(60) }), { maxLength: 120 }),
  maxCount: fc.integer({ min: 1, max: 25 }),
  maxBytes: fc.integer({ min: 1, max: 1_000 }),
  // Infinity: no timer at all; batches close only on count, bytes or the end of the input.
  maxWaitMs: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 100 }), weight: 4 }, { arbitrary: fc.constant(Infinity), weight: 1 }),
  endGap: fc.nat(200),
  ending: fc.constantFrom('complete' as const, 'error' as const),
});

/** Plays a scenario on virtual time and records every batch with its emission time. */
function play(s: Scenario) {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Infinity);
  const items: Item[] = [];
  const source = new Observable<Item>((subscriber) => {
    let t = 0;
    s.arrivals.forEach(({ size, gap }, id) => {
      t += gap;
      scheduler.schedule(() => {
        const item = { id, size, arrivedAt: scheduler.now() };
        items.push(item);
        subscriber.next(item);
      }, t);
    });
    scheduler.schedule(() => (s.ending === 'complete' ? subscriber.complete() : subscriber.error(new Error('boom'))), t + s.endGap);
  });
  const batches: { at: number; items: Item[] }[] = [];
  let ended: { how: 'complete' | 'error'; at: number; error?: unknown } | undefined;
  source.pipe(batch({ maxCount: s.maxCount, maxBytes: s.maxBytes, maxWaitMs: s.maxWaitMs, sizeOf: (i) => i.size, scheduler })).subscribe({
    next: (b) => batches.push({ at: scheduler.now(), items: b }),
    complete: () => (ended = { how: 'complete', at: scheduler.now() }),
    error: (error) => (ended = { how: 'error', at: scheduler.now(), error }),
  });
  scheduler.flush();
  return { items, batches, ended: ended! };
}

const RUNS = { numRuns: 1_000 };

describe('batch() properties', () => {
  it('loses, duplicates and reorders nothing: batches concatenated equal the input', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { batches } = play(s);
        expect(batches.flatMap((b) => b.items.map((i) => i.id))).toEqual(s.arrivals.map((_, id) => id));
      }),
      RUNS,
    );
  });

  it('never emits an empty batch', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        for (const b of play(s).batches) expect(b.items.length).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });

  it('never exceeds maxCount', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        for (const b of play(s).batches) expect(b.items.length).toBeLessThanOrEqual(s.maxCount);
      }),
      RUNS,
    );
  });

  it('never exceeds maxBytes, except a single item larger than maxBytes, which goes alone', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        for (const b of play(s).batches) {
          const bytes = b.items.reduce((sum, i) => sum + i.size, 0);
          if (bytes > s.maxBytes) expect(b.items).toHaveLength(1);
        }
      }),
      RUNS,
    );
  });

  it('emits an oversized item alone and at once', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        for (const b of play(s).batches) {
          const big = b.items.find((i) => i.size > s.maxBytes);
          if (big) {
            expect(b.items).toEqual([big]);
            expect(b.at).toBe(big.arrivedAt);
          }
        }
      }),
      RUNS,
    );
  });

  it('lets no item wait more than maxWaitMs after its arrival', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        for (const b of play(s).batches) {
          for (const item of b.items) expect(b.at - item.arrivedAt).toBeLessThanOrEqual(s.maxWaitMs);
        }
      }),
      RUNS,
    );
  });

  it('emits a batch only when a bound is reached, at its timer, or at the end of the input (never early)', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { batches, ended } = play(s);
        batches.forEach((b, i) => {
          const first = b.items[0]!;
          const last = b.items.at(-1)!;
          const bytes = b.items.reduce((sum, item) => sum + item.size, 0);
          const next = batches[i + 1]?.items[0];
          const why = {
            // The last item filled the batch, by count or by bytes, and it went at once.
            full: last.arrivedAt === b.at && (b.items.length === s.maxCount || bytes >= s.maxBytes),
            // The next item did not fit, and it arrived now.
            overflow: next !== undefined && next.arrivedAt === b.at && bytes + next.size > s.maxBytes,
            // maxWaitMs after the first item entered the empty buffer.
            timer: b.at === first.arrivedAt + s.maxWaitMs,
            // The input ended (completion or error) and this is what was left.
            end: i === batches.length - 1 && b.at === ended.at,
          };
          expect(Object.values(why).some(Boolean), `batch ${i} at ${b.at} of ${b.items.length} items (${bytes} bytes)`).toBe(true);
        });
      }),
      RUNS,
    );
  });

  it('with maxWaitMs: Infinity, holds items until a bound is reached or the input ends, however long that takes', () => {
    fc.assert(
      fc.property(
        scenario.map((s) => ({ ...s, maxWaitMs: Infinity })),
        (s) => {
          const { batches, ended, items } = play(s);
          expect(batches.flatMap((b) => b.items)).toEqual(items);
          for (const [i, b] of batches.entries()) {
            const bytes = b.items.reduce((sum, item) => sum + item.size, 0);
            const next = batches[i + 1]?.items[0];
            const bound = b.items.length === s.maxCount || bytes >= s.maxBytes || (next !== undefined && bytes + next.size > s.maxBytes);
            if (!bound) expect([i, b.at]).toEqual([batches.length - 1, ended.at]);
          }
        },
      ),
      RUNS,
    );
    // A slow trickle far below every bound: one batch, at completion, an hour later.
    const hour = play({
      arrivals: Array.from({ length: 10 }, () => ({ size: 1, gap: 360_000 })),
      maxCount: 100,
      maxBytes: 1_000,
      maxWaitMs: Infinity,
      endGap: 1,
      ending: 'complete',
    });
    expect(hour.batches.map((b) => [b.at, b.items.length])).toEqual([[3_600_001, 10]]);
  });

  it('flushes what is buffered on completion, then completes', () => {
    fc.assert(
      fc.property(
        scenario.map((s) => ({ ...s, ending: 'complete' as const })),
        (s) => {
          const { batches, ended } = play(s);
          expect(ended.how).toBe('complete');
          expect(batches.reduce((n, b) => n + b.items.length, 0)).toBe(s.arrivals.length);
          for (const b of batches) expect(b.at).toBeLessThanOrEqual(ended.at);
        },
      ),
      RUNS,
    );
  });

  it('on upstream error, emits everything received first, then propagates the error', () => {
    fc.assert(
      fc.property(
        scenario.map((s) => ({ ...s, ending: 'error' as const })),
        (s) => {
          const { batches, ended, items } = play(s);
          expect(ended.how).toBe('error');
          expect((ended.error as Error).message).toBe('boom');
          expect(batches.flatMap((b) => b.items)).toEqual(items);
        },
      ),
      RUNS,
    );
  });
});

describe('batch() options', () => {
  it('rejects bounds that make no sense, naming them', () => {
    expect(() => batch({ maxCount: 0 })).toThrow(/maxCount/);
    expect(() => batch({ maxBytes: 0 })).toThrow(/maxBytes/);
    expect(() => batch({ maxWaitMs: -1 })).toThrow(/maxWaitMs/);
  });

  it('measures strings, byte arrays and { sizeBytes } without a sizeOf', () => {
    const scheduler = new VirtualTimeScheduler();
    const out: unknown[][] = [];
    new Observable<unknown>((s) => {
      ['aa', 'bb', new Uint8Array(3), { sizeBytes: 1 }, 'c'].forEach((x) => s.next(x));
      s.complete();
    })
      .pipe(batch({ maxBytes: 4, maxCount: 100, scheduler }))
      .subscribe((b) => out.push(b));
    expect(out.map((b) => b.length)).toEqual([2, 2, 1]);
  });
});
