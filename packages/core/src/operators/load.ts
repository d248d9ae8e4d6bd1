import { Observable, asyncScheduler, defer, map, mergeMap, retry, throwError, timeout, timer, type SchedulerLike } from 'rxjs';
import type { Sink } from '../contracts/sink.js';
import { logRetry } from '../errors/describe-error.js';
import { isRetriable } from '../errors/is-retriable.js';
import { consoleLogger, type Logger } from '../logging/logger.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { backoffDelay, type RetryOptions } from '../retry/backoff.js';

/** Options of {@link load}. */
export interface LoadOptions {
  /** Retry policy for failed writes. */
  retry?: RetryOptions;
  /** Batches written at the same time. Results are still emitted in input order. Default 1. */
  concurrency?: number;
  /**
   * Longest wait for one write attempt, ms; a slower attempt fails with a
   * {@link TimeoutError} and is retried (sinks are idempotent, so a late success does no harm).
   * Without it, a client that waits silently on a dead endpoint would hide an
   * outage. Default: no limit.
   */
  attemptTimeoutMs?: number;
  /**
   * Where each retry is told: one warn line per failed attempt, with the
   * error's code, its cause and the next delay. Default {@link consoleLogger}
   * (stderr): no retry is silent unless the application says so
   * (`silentLogger`).
   */
  logger?: Logger;
  /** What the retry lines call a write, e.g. `warehouse load` or `publish`. Default `load`. */
  name?: string;
  /** Where retry delays run. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** A batch that the sink has durably written. */
export interface LoadedBatch<T> {
  readonly items: readonly T[];
  /** Attempts it took (1 = no retry). */
  readonly attempts: number;
  /** Time from the first attempt to success, ms. */
  readonly durationMs: number;
}

/**
 * Writes each batch to a sink, retrying failures with exponential backoff and
 * jitter, and emits each batch once it is durable — in input order, even with
 * `concurrency > 1`, so that everything before an emitted batch is durable too
 * and source offsets can be committed from the output.
 *
 * Only what is worth retrying is retried (`retry.isRetriable`, by default
 * {@link isRetriable}): a permanent error — a wrong password, a missing
 * privilege, data the warehouse refuses — errors the stream after one attempt,
 * so the pipeline stops with the cause instead of retrying forever. A write
 * that still fails after `retry.maxAttempts` errors the stream too; either way
 * nothing after it is emitted, so nothing after it gets committed.
 *
 * @example
 * ```ts
 * import { batch, load, nextOffsets, type Decoded, type Sink, type Source } from '@sneakpipe/core';
 * import { concatMap, type Observable } from 'rxjs';
 *
 * declare const decoded$: Observable<Decoded<{ id: string }>>;
 * declare const sink: Sink<Decoded<{ id: string }>>; // e.g. a positionedSink into a warehouse
 * declare const source: Source;
 *
 * decoded$.pipe(
 *   batch({ maxCount: 5_000, maxWaitMs: 1_000 }),
 *   load(sink, { concurrency: 2, retry: { maxDelayMs: 10_000 } }),
 *   concatMap((loaded) => source.commit(nextOffsets(loaded.items))),
 * );
 * ```
 */
export function load<T>(
  sink: Sink<T>,
  options: LoadOptions = {},
): <U extends T>(source: Observable<readonly U[]>) => Observable<LoadedBatch<U>> {
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`load(): concurrency must be a positive integer, got ${concurrency}`);
  }
  const retryOptions = options.retry ?? {};
  const maxAttempts = retryOptions.maxAttempts ?? Infinity;
  const scheduler = options.scheduler ?? asyncScheduler;
  const worthRetrying = retryOptions.isRetriable ?? isRetriable;
  const logger = options.logger ?? consoleLogger;

  const write = <U extends T>(items: readonly U[]) =>
    defer(() => {
      const started = scheduler.now();
      let attempts = 0;
      const attempt = defer(() => {
        attempts++;
        return sink.write(items);
      });
      const bounded = options.attemptTimeoutMs
        ? attempt.pipe(
            timeout({
              first: options.attemptTimeoutMs,
              scheduler,
              with: () =>
                throwError(() => new TimeoutError(`write timed out after ${options.attemptTimeoutMs} ms`, options.attemptTimeoutMs!)),
            }),
          )
        : attempt;
      return bounded.pipe(
        retry({
          count: maxAttempts - 1,
          delay: (error, attempt) => {
            if (!worthRetrying(error)) throw error; // permanent: fail fast, with the error as it is
            const delayMs = backoffDelay(attempt, retryOptions);
            logRetry(logger, options.name ?? 'load', error, attempt, delayMs);
            retryOptions.onRetry?.(error, attempt, delayMs);
            return timer(delayMs, scheduler);
          },
        }),
        map(() => ({ items, attempts, durationMs: scheduler.now() - started })),
      );
    });

  return <U extends T>(source: Observable<readonly U[]>) =>
    new Observable<LoadedBatch<U>>((subscriber) => {
      // Writes may finish out of order; hold results until all earlier ones are out.
      const done = new Map<number, LoadedBatch<U>>();
      let nextToEmit = 0;
      let index = 0;
      return source
        .pipe(
          mergeMap((items) => {
            const i = index++;
            return write(items).pipe(map((result) => ({ i, result })));
          }, concurrency),
        )
        .subscribe({
          next({ i, result }) {
            done.set(i, result);
            for (let r = done.get(nextToEmit); r !== undefined; r = done.get(nextToEmit)) {
              done.delete(nextToEmit++);
              subscriber.next(r);
            }
          },
          error: (error) => subscriber.error(error),
          complete: () => subscriber.complete(),
        });
    });
}
