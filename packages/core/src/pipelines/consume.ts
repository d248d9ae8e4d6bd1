import { lastValueFrom, tap } from 'rxjs';
import type { Codec } from '../contracts/codec.js';
import { outcomeOf } from '../contracts/record-outcome.js';
import type { Decoded } from '../contracts/records.js';
import type { Sink, Source } from '../contracts/sink.js';
import { FlowControl } from '../flow/flow-control.js';
import { consoleLogger, type Logger } from '../logging/logger.js';
import type { BatchOptions } from '../operators/batch.js';
import type { RetryOptions } from '../retry/backoff.js';
import type { LoadedBatch } from '../operators/load.js';
import { loadPipeline, type CommittedBatch } from './load-pipeline.js';

/** The batch bounds of {@link consume} when none are given: one default for every consumer. */
export const DEFAULT_BATCH = { maxCount: 10_000, maxWaitMs: 1_000, maxBytes: 8 * 1024 * 1024 } as const;

/** What a consume loop tells its metrics (see `PipelineMetrics` of `@sneakpipe/core/metrics`). */
export interface ConsumeObserver<T> {
  /** Every decoded record, valid or dead letter. */
  consumed?(decoded: Decoded<T>): void;
  /** A batch durably written and committed. */
  loaded?(loaded: LoadedBatch<Decoded<T>>): void;
  /** A failed load attempt that will be retried. */
  retried?(error: unknown): void;
}

/** A source that can be asked to stop handing out records (then it completes). */
export type StoppableSource = Source & { stop(): Promise<void> };

/** Options of {@link consume}. */
export interface ConsumeOptions<T> {
  source: StoppableSource;
  codec: Codec<T>;
  /** Where batches go: usually a `positionedSink` or `tableSink` (possibly fanned out with a dead-letter topic). */
  sink: Sink<Decoded<T>>;
  /** Batch bounds. Default {@link DEFAULT_BATCH}. */
  batch?: BatchOptions<Decoded<T>>;
  /** Counts records handed out but not committed; give the source its `paused$` for backpressure. Default: count only. */
  flow?: FlowControl;
  /** Longest wait for one load attempt before it counts as failed and is retried. Default 60,000 ms. */
  loadTimeoutMs?: number;
  /** Retry policy of loads. Default: forever, backoff up to 30 s, each attempt logged. */
  retry?: RetryOptions;
  /** Stop after this long without a new record and with nothing in flight. Default: run until `source.stop()`. */
  exitWhenIdleMs?: number | undefined;
  /**
   * Whether there is nothing left to read (e.g. the group's lag is 0), checked
   * once idle: a member waiting for a rebalance is idle but not done. Default: idle is enough.
   */
  drained?: () => Promise<boolean>;
  /** Retries, progress and the summary go here. Default {@link consoleLogger}. */
  logger?: Logger;
  /** Log a progress line this often, ms. Default 30,000; 0 for none. */
  progressEveryMs?: number;
  metrics?: ConsumeObserver<T>;
  onBatch?: (batch: CommittedBatch<T>) => void;
}

/** What a consume run did. */
export interface ConsumeSummary {
  /** Valid records this run wrote. */
  loaded: number;
  /** Dead letters this run wrote. */
  deadLetters: number;
  /** Records handed out again that the warehouse already had (a rerun, a restart, a rebalance): not written again. */
  skipped: number;
  batches: number;
  /** From the first record received to the last batch committed (idle time excluded), seconds. */
  busySeconds: number;
  /** The whole run, seconds. */
  seconds: number;
}

/**
 * The consume loop every consumer shares: source → decode → batch → load
 * (retries with backoff, each one logged; a bounded attempt time) → commit,
 * with backpressure when the source is given `flow.paused$`. Resolves once the
 * source has stopped (`source.stop()`, or idle for `exitWhenIdleMs` and
 * `drained`) and everything it handed out is loaded and committed, with a
 * summary that is also logged: what was loaded, the dead letters, and what
 * was skipped because the warehouse already had it (so a rerun that loads
 * nothing says why). Rejects with the first error that is not worth retrying.
 *
 * @example
 * ```ts
 * import { consume, jsonCodec, type Decoded, type Sink, type StoppableSource } from '@sneakpipe/core';
 * import { z } from 'zod';
 *
 * declare const source: StoppableSource;
 * declare const sink: Sink<Decoded<{ id: string }>>;
 *
 * const summary = await consume({ source, codec: jsonCodec(z.object({ id: z.string() })), sink, exitWhenIdleMs: 5_000 });
 * console.log(`${summary.loaded} loaded, ${summary.skipped} already there`);
 * ```
 */
export async function consume<T>(options: ConsumeOptions<T>): Promise<ConsumeSummary> {
  const flow = options.flow ?? new FlowControl({ highWater: Number.MAX_SAFE_INTEGER });
  const { metrics, source } = options;
  const logger = options.logger ?? consoleLogger;
  const started = Date.now();
  const summary: ConsumeSummary = { loaded: 0, deadLetters: 0, skipped: 0, batches: 0, busySeconds: 0, seconds: 0 };
  let lastRecordAt = started;
  let firstRecordAt: number | undefined;
  const idle = idleWatch(options, flow, () => lastRecordAt);
  const progressEveryMs = options.progressEveryMs ?? 30_000;
  const progress =
    progressEveryMs > 0
      ? setInterval(() => logger.info({ ...summary, inFlight: flow.inFlight }, 'consume progress'), progressEveryMs)
      : undefined;
  try {
    await lastValueFrom(
      loadPipeline({
        source,
        codec: options.codec,
        sink: options.sink,
        flow,
        batch: { ...DEFAULT_BATCH, ...options.batch },
        load: {
          attemptTimeoutMs: options.loadTimeoutMs ?? 60_000,
          logger,
          name: 'warehouse load',
          retry: {
            maxDelayMs: 30_000,
            ...options.retry,
            onRetry: (error, attempt, delayMs) => {
              metrics?.retried?.(error);
              options.retry?.onRetry?.(error, attempt, delayMs);
            },
          },
        },
        observe: {
          consumed: (decoded) => {
            lastRecordAt = Date.now();
            firstRecordAt ??= lastRecordAt;
            metrics?.consumed?.(decoded);
          },
          loaded: (loaded) => metrics?.loaded?.(loaded),
        },
      }).pipe(
        tap((done) => {
          for (const item of done.items) {
            const outcome = outcomeOf(item);
            if (outcome === 'loaded') summary.loaded++;
            else if (outcome === 'dead-letter') summary.deadLetters++;
            else summary.skipped++;
          }
          summary.batches++;
          summary.busySeconds = (Date.now() - firstRecordAt!) / 1000;
          options.onBatch?.(done);
        }),
      ),
      { defaultValue: undefined },
    );
  } finally {
    if (idle) clearInterval(idle);
    if (progress) clearInterval(progress);
  }
  summary.seconds = (Date.now() - started) / 1000;
  logger.info({ ...summary }, summaryLine(summary));
  return summary;
}

/** The summary as one sentence, e.g. `consumed: 19,800 loaded, 200 dead letters, 0 already loaded (skipped) in 3 batches, 2.1 s`. */
export function summaryLine(s: ConsumeSummary): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const skipped = s.skipped > 0 ? `, ${n(s.skipped)} already loaded (skipped: the warehouse had them)` : '';
  return `consumed: ${n(s.loaded)} loaded, ${n(s.deadLetters)} dead letters${skipped} in ${n(s.batches)} batches, ${s.seconds.toFixed(1)} s`;
}

/** Stops the source once nothing arrived for `exitWhenIdleMs`, nothing is in flight and `drained` agrees. */
function idleWatch(
  options: Pick<ConsumeOptions<never>, 'exitWhenIdleMs' | 'drained' | 'source'>,
  flow: FlowControl,
  lastRecordAt: () => number,
) {
  const idleMs = options.exitWhenIdleMs;
  if (idleMs === undefined) return undefined;
  let checking = false;
  return setInterval(
    () => {
      if (checking || flow.inFlight > 0 || Date.now() - lastRecordAt() < idleMs) return;
      checking = true;
      (options.drained ?? (async () => true))()
        .then((done) => (done ? options.source.stop() : undefined))
        .catch(() => undefined)
        .finally(() => (checking = false));
    },
    Math.min(250, idleMs),
  );
}
