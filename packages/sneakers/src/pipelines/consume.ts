import { FlowControl, loadPipeline, type CommittedBatch, type Decoded, type Sink, type Source } from '@sneakpipe/core';
import { lastValueFrom, tap } from 'rxjs';
import { orderEventCodec } from '../codec/order-event-codec.js';
import type { ReceivedOrderEvent } from '../domain/order-event.js';
import type { ConsumerMetrics } from '../metrics/consumer-metrics.js';

/** Options of {@link runConsumer}. */
export interface ConsumerOptions {
  source: Source & { stop(): Promise<void> };
  /** The warehouse, possibly fanned out with a dead-letter topic. */
  sink: Sink<Decoded<ReceivedOrderEvent>>;
  batchMaxCount?: number;
  batchMaxBytes?: number;
  batchMaxWaitMs?: number;
  /**
   * Counts records handed out but not yet committed. Give the source its
   * `paused$` so fetching pauses while too much is in flight. Default: count only.
   */
  flow?: FlowControl;
  /** Longest wait for one load attempt before it counts as failed and is retried. Default 60,000 ms. */
  loadTimeoutMs?: number;
  /** Stop after this long without a new record and with nothing in flight. */
  exitWhenIdleMs?: number | undefined;
  /**
   * Whether there is nothing left to read (e.g. the group's lag is 0). Checked
   * once the consumer is idle: a consumer whose partitions are still held by a
   * crashed member, or that waits for a rebalance, is idle but not done.
   * Default: idle is enough.
   */
  drained?: () => Promise<boolean>;
  metrics?: ConsumerMetrics;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  onBatch?: (batch: CommittedBatch<ReceivedOrderEvent>) => void;
}

/** What a consumer run did. */
export interface ConsumerSummary {
  loaded: number;
  deadLetters: number;
  batches: number;
  /** From the first record received to the last batch committed (idle time before and after excluded), seconds. */
  busySeconds: number;
}

/**
 * The consumer: source → validate → batch → load (retries, backoff) → commit,
 * with backpressure (the source pauses while too much is in flight). Resolves
 * once the source has been stopped (`source.stop()`, or idle for
 * `exitWhenIdleMs`) and everything it handed out is loaded and committed.
 */
export async function runConsumer(options: ConsumerOptions): Promise<ConsumerSummary> {
  const flow = options.flow ?? new FlowControl({ highWater: Number.MAX_SAFE_INTEGER });
  const metrics = options.metrics;
  const summary: ConsumerSummary = { loaded: 0, deadLetters: 0, batches: 0, busySeconds: 0 };
  let lastRecordAt = Date.now();
  let firstRecordAt: number | undefined;
  let checking = false;
  const idle =
    options.exitWhenIdleMs === undefined
      ? undefined
      : setInterval(
          () => {
            if (checking || flow.inFlight > 0 || Date.now() - lastRecordAt < options.exitWhenIdleMs!) return;
            checking = true;
            (options.drained ?? (async () => true))()
              .then((done) => (done ? options.source.stop() : undefined))
              .catch(() => undefined)
              .finally(() => (checking = false));
          },
          Math.min(250, options.exitWhenIdleMs),
        );
  try {
    await lastValueFrom(
      loadPipeline({
        source: options.source,
        codec: orderEventCodec,
        sink: options.sink,
        flow,
        batch: {
          maxCount: options.batchMaxCount ?? 5_000,
          maxWaitMs: options.batchMaxWaitMs ?? 1_000,
          maxBytes: options.batchMaxBytes ?? 8 * 1024 * 1024,
        },
        load: {
          attemptTimeoutMs: options.loadTimeoutMs ?? 60_000,
          retry: {
            maxDelayMs: 30_000,
            onRetry: (error, attempt, delayMs) => {
              metrics?.error();
              options.onRetry?.(error, attempt, delayMs);
            },
          },
        },
        observe: {
          consumed: (decoded) => {
            lastRecordAt = Date.now();
            firstRecordAt ??= lastRecordAt;
            metrics?.consumed(decoded);
          },
          loaded: (loaded) => metrics?.loaded(loaded),
        },
      }).pipe(
        tap((done) => {
          for (const item of done.items) item.ok ? summary.loaded++ : summary.deadLetters++;
          summary.batches++;
          summary.busySeconds = (Date.now() - firstRecordAt!) / 1000;
          options.onBatch?.(done);
        }),
      ),
      { defaultValue: undefined },
    );
  } finally {
    if (idle) clearInterval(idle);
  }
  return summary;
}
