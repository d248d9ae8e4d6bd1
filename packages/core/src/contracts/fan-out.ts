import type { Sink } from './sink.js';

/**
 * One sink that writes each batch to several sinks at once and resolves when
 * all of them have it durably — e.g. the warehouse and a dead-letter topic.
 * A failure in any makes the whole write fail, so it is retried as a whole:
 * the sinks must be idempotent (or, like a DLQ topic, accept duplicates).
 *
 * @example
 * ```ts
 * load(fanOut(warehouse, deadLetterTopic))
 * ```
 */
export function fanOut<T>(...sinks: readonly Sink<T>[]): Sink<T> {
  return {
    write: async (batch) => void (await Promise.all(sinks.map((sink) => sink.write(batch)))),
    close: async () => void (await Promise.all(sinks.map((sink) => sink.close?.()))),
  };
}
