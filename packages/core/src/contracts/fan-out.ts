import type { Sink } from './sink.js';

/**
 * One sink that writes each batch to several sinks at once and resolves when
 * all of them have it durably — e.g. the warehouse and a dead-letter topic.
 * A failure in any makes the whole write fail, so it is retried as a whole:
 * the sinks must be idempotent (or, like a DLQ topic, accept duplicates).
 *
 * @example
 * ```ts
 * import { batch, fanOut, load, type Decoded, type Sink } from '@sneakpipe/core';
 * import type { Observable } from 'rxjs';
 *
 * type Order = { id: string };
 * declare const decoded$: Observable<Decoded<Order>>;
 * declare const tables: Sink<Decoded<Order>>; // e.g. positionedSink({ warehouse, group, rows })
 * declare const deadLetterTopic: Sink<Decoded<Order>>; // e.g. deadLetterSink(topic) of @sneakpipe/connectors/kafka
 *
 * decoded$.pipe(batch(), load(fanOut(tables, deadLetterTopic)));
 * ```
 */
export function fanOut<T>(...sinks: readonly Sink<T>[]): Sink<T> {
  return {
    write: async (batch) => void (await Promise.all(sinks.map((sink) => sink.write(batch)))),
    close: async () => void (await Promise.all(sinks.map((sink) => sink.close?.()))),
  };
}
