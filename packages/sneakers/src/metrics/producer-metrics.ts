import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { LabelCounts } from './label-counts.js';
import type { ReceivedOrderEvent } from '../domain/order-event.js';
import { type LoadedBatch, type SerializedRecord } from '@sneakpipe/core';
import { RateWindow } from '@sneakpipe/core/metrics';

/** Options of {@link ProducerMetrics}, and the ones {@link ConsumerMetrics} shares. */
export interface MetricsOptions {
  /** Where the metrics are registered. Default: a registry of their own. */
  registry?: Registry;
  /** Also collect Node's default process metrics. Default true. */
  defaultMetrics?: boolean;
  /** The clock of the per-minute rates and the end-to-end latency. Default `Date.now`. */
  now?: () => number;
}

/** Latency buckets for sends and loads, seconds: 1 ms to 30 s. */
export const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The producer's metrics, with the original system's exact names (dashboards and alerts
 * depend on them). Each stage observer is a function, ready for `instrument` of `@sneakpipe/core`.
 *
 * @example
 * ```ts
 * import { batch, instrument, load, serialize, type OutgoingRecord, type Sink } from '@sneakpipe/core';
 * import { ProducerMetrics, generate, orderEventCodec } from '@sneakpipe/sneakers';
 *
 * declare const topic: Sink<OutgoingRecord>; // e.g. await kafka.topicSink({ topic: 'sneaker-orders' })
 * const metrics = new ProducerMetrics();
 * generate().pipe(serialize(orderEventCodec), batch(), load(topic), instrument(metrics, 'sent'));
 * ```
 */
export class ProducerMetrics {
  readonly registry: Registry;
  readonly ordersSent: Counter<'brand'>;
  readonly sendDuration: Histogram;
  readonly kafkaErrors: Counter;
  readonly ordersPerMinute: Gauge;
  private readonly window: RateWindow;
  /** Acknowledged records per brand, added to `ordersSent` when it is read. */
  private readonly sentByBrand = new LabelCounts();

  constructor(options: MetricsOptions = {}) {
    this.registry = options.registry ?? new Registry();
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    const window = (this.window = new RateWindow(60, options.now));
    this.ordersSent = new Counter({
      name: 'sneaker_orders_sent_total',
      help: 'Order events acknowledged by the broker, by brand.',
      labelNames: ['brand'],
      registers,
      collect: () => this.sentByBrand.addTo(this.ordersSent),
    });
    this.sendDuration = new Histogram({
      name: 'sneaker_orders_sent_duration_seconds',
      help: 'Time to publish one batch of order events, retries included.',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.kafkaErrors = new Counter({
      name: 'sneaker_kafka_errors_total',
      help: 'Failed publish attempts (each is retried).',
      registers,
    });
    this.ordersPerMinute = new Gauge({
      name: 'sneaker_orders_per_minute',
      help: 'Order events published over the last 60 seconds.',
      registers,
      collect() {
        this.set(window.total());
      },
    });
  }

  /** Stage `sent`: a batch the broker acknowledged. */
  readonly sent = (loaded: LoadedBatch<SerializedRecord<ReceivedOrderEvent>>): void => {
    for (const record of loaded.items) this.sentByBrand.count(record.item.brand);
    this.sendDuration.observe(loaded.durationMs / 1000);
    this.window.add(loaded.items.length);
  };

  /** Stage `error`: one failed publish attempt. */
  readonly error = (): void => {
    this.kafkaErrors.inc();
  };
}
