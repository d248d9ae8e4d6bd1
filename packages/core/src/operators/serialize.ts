import { Buffer } from 'node:buffer';
import { map, type OperatorFunction } from 'rxjs';
import type { Codec } from '../contracts/codec.js';
import type { OutgoingRecord } from '../contracts/records.js';

/** A record ready to publish that still knows the value it was encoded from (for metrics). */
export interface SerializedRecord<T> extends OutgoingRecord {
  readonly item: T;
  /** `value.byteLength`, for byte-bounded batching. */
  readonly sizeBytes: number;
}

/** Options of {@link serialize}. */
export interface SerializeOptions<T> {
  /**
   * The record key, which picks the partition: records with the same key stay
   * in order in one partition. Default: no key (round-robin).
   */
  key?: (value: T) => string | null;
}

/**
 * Encodes values into records ready to publish, with an optional key.
 *
 * @example
 * ```ts
 * import { jsonCodec, serialize } from '@sneakpipe/core';
 * import type { Observable } from 'rxjs';
 * import { z } from 'zod';
 *
 * const OrderSchema = z.object({ order_id: z.number().int(), event_type: z.string() });
 * declare const orders$: Observable<z.infer<typeof OrderSchema>>;
 *
 * // Key by order so an order's lifecycle stays ordered in one partition.
 * orders$.pipe(serialize(jsonCodec(OrderSchema), { key: (order) => String(order.order_id) }));
 * ```
 */
export function serialize<T>(codec: Codec<T>, options: SerializeOptions<T> = {}): OperatorFunction<T, SerializedRecord<T>> {
  const keyOf = options.key;
  return map((item) => {
    const key = keyOf?.(item);
    const value = codec.encode(item);
    return { key: key == null ? null : Buffer.from(key, 'utf8'), value, item, sizeBytes: value.byteLength };
  });
}
