import {
  type Decoded,
  type SchemaEvolutionSettings,
  type SinkWarehouse,
  type Warehouse,
  positionedSink,
  sinkSchemaEvolution,
  type PositionedSink,
  type PositionedSinkOptions,
} from '@sneakpipe/core';
import type { ReceivedOrderEvent } from './order-event.js';
import { evolvingOrderEventTables, orderEventTables, type StreamingOrderRowOptions } from './warehouse-rows.js';
import { STREAMING_ORDERS } from './warehouse-tables.js';

/** Options of {@link orderEventSink}. */
export interface OrderEventSinkOptions
  extends Omit<PositionedSinkOptions<Decoded<ReceivedOrderEvent>>, 'rows' | 'warehouse'>, StreamingOrderRowOptions {
  /** Where rows and positions go; with `schemaEvolution`, also `addColumns`, `query` and `table`. */
  warehouse: Pick<Warehouse, 'append' | 'positions'> & SinkWarehouse;
  /**
   * Fields producers add become columns of `STREAMING_ORDERS` (see
   * `schemaEvolution` in `@sneakpipe/core`); a value that does not fit its
   * column stays in `EXTRA_FIELDS`, flagged `schema_clash`. The warehouse must
   * have `SCHEMA_CHANGES` among its tables. Default off: every field without
   * a column stays in `EXTRA_FIELDS`.
   */
  schemaEvolution?: boolean | SchemaEvolutionSettings;
}

/**
 * The shop's warehouse as an exactly-once sink of decoded order events: valid
 * events to `STREAMING_ORDERS` (flagged, extra fields kept), dead letters to
 * `DEAD_LETTERS`, and the group's positions, in one transaction per batch.
 *
 * @example
 * ```ts
 * import { loadPipeline, type Source, type Warehouse } from '@sneakpipe/core';
 * import { orderEventCodec, orderEventSink } from '@sneakpipe/sneakers';
 *
 * declare const warehouse: Warehouse;
 * declare const source: Source; // e.g. kafka.source({ topic, groupId: 'sneakpipe-loader', resumeFrom: … })
 * const sink = orderEventSink({ warehouse, group: 'sneakpipe-loader' });
 * loadPipeline({ source, codec: orderEventCodec, sink }).subscribe();
 * ```
 */
export function orderEventSink(options: OrderEventSinkOptions): PositionedSink<Decoded<ReceivedOrderEvent>> {
  const rowOptions = options.qualityFlags ? { qualityFlags: options.qualityFlags } : {};
  const evolution = sinkSchemaEvolution(options.schemaEvolution, { ...options, table: STREAMING_ORDERS });
  return positionedSink({
    ...options,
    rows: evolution ? (items) => evolvingOrderEventTables(items, evolution, rowOptions) : (items) => orderEventTables(items, rowOptions),
  });
}
