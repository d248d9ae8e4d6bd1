import { map, type OperatorFunction } from 'rxjs';
import type { Codec } from '../contracts/codec.js';
import type { Decoded, SourceRecord } from '../contracts/records.js';

/**
 * Decodes source records into typed values. A record that fails (not UTF-8,
 * not JSON, breaks the schema) becomes a {@link DeadLetter} carrying the reason,
 * the original bytes and its position — it never errors the stream and is
 * never dropped, so its offset is committed once the dead letter is stored.
 *
 * @example
 * ```ts
 * import { deserialize, jsonCodec, type Source } from '@sneakpipe/core';
 * import { tap } from 'rxjs';
 * import { z } from 'zod';
 *
 * const OrderSchema = z.object({ order_id: z.number().int(), brand: z.string() });
 * declare const source: Source;
 * declare const log: { warn(fields: object, message: string): void }; // e.g. pino
 *
 * source.records().pipe(
 *   deserialize(jsonCodec(OrderSchema)),
 *   tap((d) => { if (!d.ok) log.warn({ reason: d.reason }, 'dead letter'); }),
 * );
 * ```
 */
export function deserialize<T>(codec: Codec<T>): OperatorFunction<SourceRecord, Decoded<T>> {
  return map((record): Decoded<T> => {
    const position = { topic: record.topic, partition: record.partition, offset: record.offset };
    const sizeBytes = record.value.byteLength;
    try {
      return { ok: true, value: codec.decode(record.value), sizeBytes, position };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { ok: false, reason, raw: record.value, sizeBytes, position, failedAt: Date.now() };
    }
  });
}
