import { Observable, asyncScheduler, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';

/** Bounds of {@link batch}. A batch is emitted as soon as any bound is reached. */
export interface BatchOptions<T> {
  /** Most items in one batch. Default 10,000. */
  maxCount?: number;
  /**
   * Most bytes in one batch, as measured by `sizeOf`. An item that would take
   * the batch over the bound closes the current batch and starts the next; an
   * item larger than `maxBytes` on its own is emitted alone, as a batch of one
   * (it is never split, delayed or dropped). Default: no byte bound.
   */
  maxBytes?: number;
  /**
   * Longest time, in ms, that an item waits in the buffer: the clock starts
   * when an item enters an empty buffer. `Infinity` disables the timer. Default 1,000.
   */
  maxWaitMs?: number;
  /** The size of an item in bytes. Required with `maxBytes` unless items are strings or byte arrays. */
  sizeOf?: (item: T) => number;
  /** Where the wait timer runs (a `TestScheduler` in tests). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

function defaultSizeOf(item: unknown): number {
  if (item instanceof Uint8Array) return item.byteLength;
  if (typeof item === 'string') return Buffer.byteLength(item);
  if (item !== null && typeof item === 'object' && typeof (item as { sizeBytes?: unknown }).sizeBytes === 'number') {
    return (item as { sizeBytes: number }).sizeBytes;
  }
  throw new TypeError('batch(): maxBytes needs a sizeOf option for items that are not strings, byte arrays or { sizeBytes }');
}

function assertBound(name: string, value: number, min: number): void {
  if (!(value >= min) || Number.isNaN(value)) throw new RangeError(`batch(): ${name} must be >= ${min}, got ${value}`);
}

/**
 * Groups items into batches bounded by count, bytes and time, whichever comes
 * first — the way a warehouse loader wants them.
 *
 * Guarantees (each pinned by a property-based test): the batches, concatenated,
 * are exactly the input in order (nothing lost, nothing duplicated); no batch is
 * empty; no batch holds more than `maxCount` items, nor more than `maxBytes`
 * bytes unless it is a single oversized item; no item waits longer than
 * `maxWaitMs`; a batch is emitted only when a bound is reached, when
 * `maxWaitMs` has passed since its first item, or at the end of the input —
 * never earlier (with `maxWaitMs: Infinity`, only bounds and the end close
 * one); completion flushes what is buffered; an upstream error first flushes
 * what is buffered, then propagates.
 *
 * @example
 * ```ts
 * import { batch, deserialize, load, positionedSink, type Codec, type Decoded, type SourceRecord, type TableRows, type Warehouse } from '@sneakpipe/core';
 * import type { Observable } from 'rxjs';
 *
 * type Order = { id: string };
 * declare const records$: Observable<SourceRecord>;
 * declare const orderCodec: Codec<Order>;
 * declare const warehouse: Warehouse;
 * declare function orderRows(items: readonly Decoded<Order>[]): TableRows[];
 *
 * records$.pipe(
 *   deserialize(orderCodec),
 *   batch({ maxCount: 5_000, maxBytes: 4 << 20, maxWaitMs: 1_000 }),
 *   load(positionedSink({ warehouse, group: 'loader', rows: orderRows })),
 * );
 * ```
 */
export function batch<T>(options: BatchOptions<T> = {}): OperatorFunction<T, T[]> {
  const maxCount = options.maxCount ?? 10_000;
  const maxBytes = options.maxBytes ?? Infinity;
  const maxWaitMs = options.maxWaitMs ?? 1_000;
  const scheduler = options.scheduler ?? asyncScheduler;
  assertBound('maxCount', maxCount, 1);
  assertBound('maxBytes', maxBytes, 1);
  assertBound('maxWaitMs', maxWaitMs, 0);
  const sizeOf: (item: T) => number = maxBytes === Infinity ? () => 0 : (options.sizeOf ?? (defaultSizeOf as (item: T) => number));

  return (source) =>
    new Observable<T[]>((subscriber) => {
      let buffer: T[] = [];
      let bytes = 0;
      let timer: Subscription | null = null;

      const flush = () => {
        if (timer) {
          timer.unsubscribe();
          timer = null;
        }
        if (buffer.length === 0) return;
        const out = buffer;
        buffer = [];
        bytes = 0;
        subscriber.next(out);
      };

      const subscription = source.subscribe({
        next(item) {
          const size = sizeOf(item);
          if (buffer.length > 0 && bytes + size > maxBytes) flush();
          buffer.push(item);
          bytes += size;
          if (buffer.length >= maxCount || bytes >= maxBytes) {
            flush();
          } else if (timer === null && maxWaitMs !== Infinity) {
            timer = scheduler.schedule(flush, maxWaitMs);
          }
        },
        error(error) {
          flush();
          subscriber.error(error);
        },
        complete() {
          flush();
          subscriber.complete();
        },
      });

      return () => {
        subscription.unsubscribe();
        timer?.unsubscribe();
        buffer = [];
      };
    });
}
