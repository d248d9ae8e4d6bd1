import { type Decoded, type Warehouse, positionedSink, type PositionedSink, type PositionedSinkOptions } from '@sneakpipe/core';
import type { ReceivedOrderEvent } from './order-event.js';
import { orderEventTables, type StreamingOrderRowOptions } from './warehouse-rows.js';

/** Options of {@link orderEventSink}. */
export interface OrderEventSinkOptions
  extends Omit<PositionedSinkOptions<Decoded<ReceivedOrderEvent>>, 'rows' | 'warehouse'>, StreamingOrderRowOptions {
  warehouse: Pick<Warehouse, 'append' | 'positions'>;
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
  return positionedSink({ ...options, rows: (items) => orderEventTables(items, rowOptions) });
}
