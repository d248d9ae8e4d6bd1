import {
  FlowControl,
  batch,
  instrument,
  load,
  serialize,
  type LoadedBatch,
  type SerializedRecord,
  type Sink,
  type OutgoingRecord,
  type Logger,
} from '@sneakpipe/core';
import { combineLatest, lastValueFrom, map, takeUntil, tap, type Observable } from 'rxjs';
import { orderEventCodec } from '../codec/order-event-codec.js';
import type { ReceivedOrderEvent } from '../domain/order-event.js';
import { ProducerMetrics } from '../metrics/producer-metrics.js';
import { generate } from '../operators/generate.js';

/** Options of {@link runProducer}. */
export interface ProducerOptions {
  /** Where records go: a Kafka topic sink (`KafkaClient.topicSink`), or the in-process broker's producer. */
  sink: Sink<OutgoingRecord>;
  /** Events to send; undefined = until `stop$` fires. */
  count?: number | undefined;
  /** Events per second; undefined = as fast as possible. */
  rate?: number | undefined;
  seed: number;
  /** Records per publish request. Default 2,000. */
  batchSize?: number;
  /** Longest wait to fill a publish request, ms (Kafka's linger.ms). Default 20. */
  lingerMs?: number;
  /** Most events generated but not yet acknowledged. Default 20,000. */
  maxInFlight?: number;
  /** Extra backpressure from downstream: generation also pauses while this is `true`. */
  paused$?: Observable<boolean>;
  metrics?: ProducerMetrics;
  /** Fires to stop generating; what is in flight is still sent. */
  stop$?: Observable<unknown>;
  /** Called before each retry of a publish (each one is also logged to `logger`). */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Where each retried publish is logged (one warn line). Default core's `consoleLogger`. */
  logger?: Logger;
  onBatch?: (sent: LoadedBatch<SerializedRecord<ReceivedOrderEvent>>) => void;
}

/**
 * The producer: generate → serialize (keyed by order, so an order's lifecycle
 * stays in one partition) → batch → publish with retries → metrics. Resolves
 * with the number of events acknowledged once the generator is done (or
 * stopped) and everything in flight is acknowledged.
 */
export async function runProducer(options: ProducerOptions): Promise<number> {
  const metrics = options.metrics ?? new ProducerMetrics({ defaultMetrics: false });
  const flow = new FlowControl({ highWater: options.maxInFlight ?? 20_000 });
  let sent = 0;
  const paused = options.paused$ ? combineLatest([flow.paused$, options.paused$]).pipe(map(([a, b]) => a || b)) : flow.paused$;
  const events$ = generate({ count: options.count, rate: options.rate, seed: options.seed, paused });
  await lastValueFrom(
    (options.stop$ ? events$.pipe(takeUntil(options.stop$)) : events$).pipe(
      tap(() => flow.acquire()),
      serialize(orderEventCodec, { key: (e) => String(e.order_id) }),
      batch({ maxCount: options.batchSize ?? 2_000, maxWaitMs: options.lingerMs ?? 20 }),
      load(options.sink, {
        ...(options.logger ? { logger: options.logger } : {}),
        name: 'publish',
        retry: {
          maxDelayMs: 10_000,
          onRetry: (error, attempt, delayMs) => {
            metrics.error();
            options.onRetry?.(error, attempt, delayMs);
          },
        },
      }),
      instrument(metrics, 'sent'),
      tap((done) => {
        sent += done.items.length;
        flow.release(done.items.length);
        options.onBatch?.(done);
      }),
    ),
    { defaultValue: undefined },
  );
  return sent;
}
