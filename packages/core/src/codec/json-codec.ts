import { Buffer, isUtf8 } from 'node:buffer';
import type { z } from 'zod';
import { CodecError, type Codec } from '../contracts/codec.js';
import { OrderEventSchema, type OrderEvent } from '../domain/order-event.js';

/** Formats zod issues as one line: `quantity: Too small…; brand: unknown brand "X"`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/**
 * A JSON codec validated by a zod schema. Decoding fails with a {@link CodecError}
 * naming the cause: not UTF-8, not JSON, or which fields break the schema.
 *
 * @example
 * ```ts
 * const codec = jsonCodec(OrderEventSchema);
 * const bytes = codec.encode(event);
 * const back = codec.decode(bytes); // throws CodecError on bad input
 * ```
 */
export function jsonCodec<S extends z.ZodType>(schema: S): Codec<z.output<S>> {
  return {
    encode: (value) => Buffer.from(JSON.stringify(value), 'utf8'),
    decode(bytes) {
      // Bytes that are not UTF-8 are a decoding error, never silently replaced.
      if (!isUtf8(bytes)) throw new CodecError('not valid UTF-8');
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new CodecError(`invalid JSON: ${(error as Error).message}`);
      }
      const result = schema.safeParse(json);
      if (!result.success) throw new CodecError(`schema: ${describeIssues(result.error)}`);
      return result.data;
    },
  };
}

/** The JSON codec of {@link OrderEvent}s for the default catalog. */
export const orderEventCodec: Codec<OrderEvent> = jsonCodec(OrderEventSchema);
