import { Observable } from 'rxjs';

/** Options of {@link fromIterable}. */
export interface FromIterableOptions {
  /** While it says `true`, no item is pulled (give it a `FlowControl`'s `paused$`). */
  paused: Observable<boolean>;
  /** Items pulled before letting timers and I/O run (a sync iterable never waits otherwise). Default 1,000. */
  yieldEvery?: number;
}

/**
 * An iterable or async iterable (a generator, a file's lines, a paged API) as
 * an Observable that pulls the next item only while `paused` says `false`:
 * the backpressure RxJS's `from()` lacks. `from(generator)` pulls as fast as
 * it can, so a slow warehouse makes memory grow without bound; with this and
 * a `FlowControl` released after each load, memory stays flat however many
 * items the source yields. Unsubscribing calls the iterator's `return()`.
 *
 * @example
 * ```ts
 * import { FlowControl, batch, fromIterable, load, type Sink } from '@sneakpipe/core';
 * import { tap } from 'rxjs';
 *
 * declare const sink: Sink<number>;
 * function* numbers() { for (let i = 0; i < 10_000_000; i++) yield i; }
 *
 * const flow = new FlowControl({ highWater: 20_000 });
 * fromIterable(numbers(), { paused: flow.paused$ })
 *   .pipe(
 *     tap(() => flow.acquire()),
 *     batch({ maxCount: 5_000 }),
 *     load(sink),
 *     tap((loaded) => flow.release(loaded.items.length)),
 *   )
 *   .subscribe();
 * ```
 */
export function fromIterable<T>(iterable: Iterable<T> | AsyncIterable<T>, options: FromIterableOptions): Observable<T> {
  const yieldEvery = options.yieldEvery ?? 1_000;
  return new Observable<T>((subscriber) => {
    const iterator = Symbol.asyncIterator in iterable ? iterable[Symbol.asyncIterator]() : (iterable as Iterable<T>)[Symbol.iterator]();
    let paused = false;
    let stopped = false;
    let wake: (() => void) | undefined;
    const watch = options.paused.subscribe((p) => {
      paused = p;
      if (!p) wake?.();
    });
    const waitForResume = () => new Promise<void>((resolve) => (wake = resolve));
    (async () => {
      for (let sinceYield = 0; !stopped;) {
        while (paused && !stopped) await waitForResume();
        if (stopped) return;
        const step = iterator.next();
        const result = step instanceof Promise ? await step : step;
        if (result.done) return subscriber.complete();
        subscriber.next(result.value);
        if (++sinceYield >= yieldEvery) {
          sinceYield = 0;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
    })().catch((error: unknown) => subscriber.error(error));
    return () => {
      stopped = true;
      watch.unsubscribe();
      wake?.();
      void iterator.return?.();
    };
  });
}
