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
 * import { batch, deserialize, instrument, load, type Codec, type Decoded, type LoadedBatch, type Sink, type Source } from '@sneakpipe/core';
 * import { Counter } from 'prom-client';
 *
 * type Order = { id: string };
 * declare const source: Source;
 * declare const orderCodec: Codec<Order>;
 * declare const sink: Sink<Decoded<Order>>; // e.g. positionedSink({ warehouse, group, rows })
 * const consumed = new Counter({ name: 'consumed_total', help: 'Records consumed.' });
 * const loaded = new Counter({ name: 'loaded_total', help: 'Records loaded.' });
 *
 * // Any object whose stages are one-argument functions, e.g. an application's metrics class.
 * const metrics = { consumed: (d: Decoded<Order>) => consumed.inc(), loaded: (b: LoadedBatch<Decoded<Order>>) => loaded.inc(b.items.length) };
 * source.records().pipe(
 *   deserialize(orderCodec),
 *   instrument(metrics, 'consumed'),   // e.g. a consumed counter, dead letters
 *   batch(),
 *   load(sink),
 *   instrument(metrics, 'loaded'),     // loaded total, load duration, batch size, end-to-end latency
 * );
 * ```
 */
export function instrument<M, K extends StageOf<M>>(metrics: M, stage: K): MonoTypeOperatorFunction<StageItem<M[K]>> {
  const observe = metrics[stage] as unknown as (item: StageItem<M[K]>) => void;
  if (typeof observe !== 'function') throw new TypeError(`instrument(): no stage "${String(stage)}" on these metrics`);
  return tap((item) => observe.call(metrics, item));
}
