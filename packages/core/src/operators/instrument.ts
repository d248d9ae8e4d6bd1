import { tap, type MonoTypeOperatorFunction } from 'rxjs';

/** The names of a metrics object's stage observers (its one-argument function properties). */
export type StageOf<M> = { [K in keyof M]: M[K] extends (item: never) => void ? K : never }[keyof M];

/** What a stage observer accepts. */
export type StageItem<F> = F extends (item: infer T) => void ? T : never;

/**
 * Feeds every item passing through to a metrics stage observer (counters,
 * histograms, gauges in prom-client) and passes it on unchanged.
 *
 * @example
 * ```ts
 * const metrics = new ConsumerMetrics();
 * source.records().pipe(
 *   deserialize(orderEventCodec),
 *   instrument(metrics, 'consumed'),   // sneaker_orders_consumed_total{brand}, dead letters
 *   batch(),
 *   load(warehouse),
 *   instrument(metrics, 'loaded'),     // loaded total, load duration, batch size, end-to-end latency
 * );
 * ```
 */
export function instrument<M, K extends StageOf<M>>(metrics: M, stage: K): MonoTypeOperatorFunction<StageItem<M[K]>> {
  const observe = metrics[stage] as unknown as (item: StageItem<M[K]>) => void;
  if (typeof observe !== 'function') throw new TypeError(`instrument(): no stage "${String(stage)}" on these metrics`);
  return tap((item) => observe.call(metrics, item));
}
