import { Observable, asyncScheduler, type SchedulerLike, type Unsubscribable } from 'rxjs';
import type { OrderEvent } from '../domain/order-event.js';
import { OrderEventGenerator, type OrderGeneratorOptions } from '../generator/order-event-generator.js';

const DAY_MS = 24 * 3600 * 1000;

/** Options of {@link generate}. */
export type GenerateOptions = Omit<OrderGeneratorOptions, 'clock' | 'start' | 'end'> & {
  /** Events to emit in all; the stream then completes. Default: endless (live) or until now (backfill). */
  count?: number;
  /** Events per second. Default: as fast as possible. Ignored in backfill mode. */
  rate?: number;
  /** Events emitted per tick when there is no rate, between which the event loop breathes. Default 2,000. */
  chunkSize?: number;
  /**
   * Backpressure: while the latest value is `true`, nothing is generated. Feed it
   * from the sink's in-flight gauge (see `FlowControl` in `@sneakpipe/core`).
   */
  paused?: Observable<boolean>;
  /** Clock and timers (a `TestScheduler` in tests). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
} & (
    | {
        /**
         * `live` (default): timestamps are the current time; lifecycles are
         * compressed (an hour of an order's life passes in a second).
         */
        mode?: 'live';
      }
    | {
        /**
         * `backfill`: `days` of history ending now, generated as fast as
         * possible, with daily and weekly seasonality and real-time lifecycles.
         */
        mode: 'backfill';
        days: number;
      }
  );

/**
 * A seeded, rate-controlled source of realistic order events.
 *
 * @example
 * ```ts
 * import { batch, load, type Sink } from '@sneakpipe/core';
 * import { generate, type OrderEvent } from '@sneakpipe/sneakers';
 *
 * declare const sink: Sink<OrderEvent>;
 *
 * // 100 events per second, forever, timestamps = now.
 * generate({ rate: 100, seed: 7 }).subscribe(console.log);
 *
 * // 30 days of history for reports, as fast as possible.
 * generate({ mode: 'backfill', days: 30 }).pipe(batch({ maxCount: 10_000 }), load(sink));
 * ```
 */
export function generate(options: GenerateOptions = {}): Observable<OrderEvent> {
  const scheduler = options.scheduler ?? asyncScheduler;
  const limit = options.count ?? Infinity;
  const chunkSize = options.chunkSize ?? 2_000;
  const rate = options.mode === 'backfill' ? undefined : options.rate;
  if (!(limit >= 0)) throw new RangeError(`generate(): count must be >= 0, got ${limit}`);
  if (rate !== undefined && !(rate > 0)) throw new RangeError(`generate(): rate must be > 0, got ${rate}`);
  if (!(chunkSize >= 1)) throw new RangeError(`generate(): chunkSize must be >= 1, got ${chunkSize}`);

  // Between full-speed chunks, yield to the event loop with setImmediate (a
  // timer of 0 ms costs 1 ms); a given scheduler (virtual time) is used as is.
  const later = (work: () => void, delay: number): Unsubscribable => {
    if (options.scheduler || delay > 0) return scheduler.schedule(work, delay);
    const handle = setImmediate(work);
    return { unsubscribe: () => clearImmediate(handle) };
  };

  return new Observable<OrderEvent>((subscriber) => {
    const now = scheduler.now();
    const generator =
      options.mode === 'backfill'
        ? new OrderEventGenerator({ ...options, start: now - options.days * DAY_MS, end: now })
        : new OrderEventGenerator({
            ordersPerDay: 86_400,
            seasonality: false,
            lifecycleSpeedup: 3_600,
            ...options,
            start: now,
            clock: () => scheduler.now(),
          });
    let emitted = 0;
    let paused = false;
    let tick: Unsubscribable | null = null;
    // Rate mode: the number of events due is rate × time since `baseline`.
    let baseline = now;
    let emittedAtBaseline = 0;

    const emit = (n: number): boolean => {
      for (let i = 0; i < n; i++) {
        if (subscriber.closed) return false;
        const event = emitted < limit ? generator.draw() : undefined;
        if (event === undefined) {
          subscriber.complete();
          return false;
        }
        emitted++;
        subscriber.next(event);
      }
      if (emitted >= limit) {
        subscriber.complete();
        return false;
      }
      return true;
    };

    const step = () => {
      tick = null;
      if (paused || subscriber.closed) return;
      let more: boolean;
      let delay = 0;
      if (rate === undefined) {
        more = emit(chunkSize);
      } else {
        const due = Math.floor(((scheduler.now() - baseline) * rate) / 1000) - (emitted - emittedAtBaseline);
        more = emit(Math.min(Math.max(due, 0), chunkSize * 10));
        delay = Math.max(1, Math.min(100, 1000 / rate));
      }
      if (more) tick = later(step, delay);
    };

    const pauses = options.paused?.subscribe((value) => {
      if (value === paused) return;
      paused = value;
      if (!paused && tick === null && !subscriber.closed) {
        // No burst to catch up on time spent paused.
        baseline = scheduler.now();
        emittedAtBaseline = emitted;
        tick = later(step, 0);
      }
    });
    // The first events go out at once (and synchronously when not paused).
    if (!paused) step();
    return () => {
      tick?.unsubscribe();
      pauses?.unsubscribe();
    };
  });
}
