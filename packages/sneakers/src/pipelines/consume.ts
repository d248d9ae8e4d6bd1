import { consume, type ConsumeOptions, type ConsumeSummary } from '@sneakpipe/core';
import { orderEventCodec } from '../codec/order-event-codec.js';
import type { ReceivedOrderEvent } from '../domain/order-event.js';
import type { ConsumerMetrics } from '../metrics/consumer-metrics.js';

/** Options of {@link runConsumer}: core's `consume` options, with the shop's codec and metrics. */
export interface ConsumerOptions extends Omit<ConsumeOptions<ReceivedOrderEvent>, 'codec' | 'metrics'> {
  /** The original system's `sneaker_*` metrics. */
  metrics?: ConsumerMetrics;
}

/** What a consumer run did (core's `ConsumeSummary`). */
export type ConsumerSummary = ConsumeSummary;

/**
 * The shop's consumer: core's `consume` loop (source → validate → batch →
 * load with logged retries → commit, backpressure, idle exit, summary) bound
 * to order events and the original system's `sneaker_*` metrics.
 */
export function runConsumer(options: ConsumerOptions): Promise<ConsumerSummary> {
  const { metrics, ...rest } = options;
  return consume({
    ...rest,
    codec: orderEventCodec,
    ...(metrics ? { metrics: { consumed: metrics.consumed, loaded: metrics.loaded, retried: metrics.error } } : {}),
  });
}
