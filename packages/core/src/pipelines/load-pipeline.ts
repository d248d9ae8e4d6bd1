import { concatMap, tap, type Observable } from 'rxjs';
import type { Codec } from '../contracts/codec.js';
import { nextOffsets } from '../contracts/offsets.js';
import type { Decoded, RecordPosition } from '../contracts/records.js';
import type { Sink, Source } from '../contracts/sink.js';
import type { FlowControl } from '../flow/flow-control.js';
import { batch, type BatchOptions } from '../operators/batch.js';
import { deserialize } from '../operators/deserialize.js';
import { load, type LoadedBatch, type LoadOptions } from '../operators/load.js';

/** Options of {@link loadPipeline}. */
export interface LoadPipelineOptions<T> {
  source: Source;
  codec: Codec<T>;
  /** Where decoded batches go: valid records and dead letters alike. */
  sink: Sink<Decoded<T>>;
  batch?: BatchOptions<Decoded<T>>;
  load?: LoadOptions;
  /** Counts records from the moment the source hands them out until their offsets are committed. */
  flow?: FlowControl;
  /** Stage observers, e.g. an application's metrics (see {@link instrument}). */
  observe?: {
    consumed?: (decoded: Decoded<T>) => void;
    loaded?: (loaded: LoadedBatch<Decoded<T>>) => void;
  };
}

/** A batch that is durable and whose offsets are committed. */
export interface CommittedBatch<T> extends LoadedBatch<Decoded<T>> {
  readonly committed: readonly RecordPosition[];
}

/**
 * The consumer's pipeline, assembled from the operators: source records →
 * {@link deserialize} → {@link batch} → {@link load} → commit. Offsets are
 * committed only after the batch holding them is durable, in order, so a crash
 * at any point replays from the last durable batch (at-least-once; idempotent
 * sinks turn that into exactly one row per event).
 *
 * @example
 * ```ts
 * import { column, deadLetterTable, defineTable, jsonCodec, loadPipeline, tableSink, type Source, type Warehouse } from '@sneakpipe/core';
 * import { z } from 'zod';
 *
 * declare const source: Source;
 * declare const warehouse: Warehouse;
 * const Order = z.object({ id: z.string(), total: z.number() });
 * const ORDERS = defineTable({ name: 'ORDERS', description: 'Orders.', columns: [column('ID', 'text'), column('TOTAL', 'money')] });
 * const sink = tableSink({
 *   warehouse,
 *   group: 'loader',
 *   table: ORDERS,
 *   deadLetters: deadLetterTable('ORDER_REJECTS'),
 *   row: (order: z.infer<typeof Order>) => ({ ID: order.id, TOTAL: order.total }),
 * });
 * loadPipeline({ source, codec: jsonCodec(Order), sink, batch: { maxCount: 5_000 } }).subscribe((b) => console.log(`${b.items.length} committed`));
 * ```
 */
export function loadPipeline<T>(options: LoadPipelineOptions<T>): Observable<CommittedBatch<T>> {
  const { source, flow, observe } = options;
  return source.records().pipe(
    tap(() => flow?.acquire()),
    deserialize(options.codec),
    tap((decoded) => observe?.consumed?.(decoded)),
    batch(options.batch),
    load(options.sink, options.load),
    concatMap(async (loaded) => {
      const committed = nextOffsets(loaded.items);
      await source.commit(committed);
      observe?.loaded?.(loaded);
      flow?.release(loaded.items.length);
      return { ...loaded, committed };
    }),
  );
}
