import type { z } from 'zod';
import { CodecError, type Codec } from '../contracts/codec.js';
import { OrderEventSchema, type OrderEvent } from '../domain/order-event.js';

const encoder = new TextEncoder();
// fatal: bytes that are not UTF-8 are a decoding error, never silently replaced.
const decoder = new TextDecoder('utf-8', { fatal: true });

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
    encode: (value) => encoder.encode(JSON.stringify(value)),
    decode(bytes) {
      let text: string;
      try {
        text = decoder.decode(bytes);
      } catch {
        throw new CodecError('not valid UTF-8');
      }
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
