import { Buffer } from 'node:buffer';
import type { z } from 'zod';
import { CodecError, type Codec } from '../contracts/codec.js';
import { describeIssues } from '../errors/describe-issues.js';

/**
 * Optional shortcuts of a {@link jsonCodec} for a hot path. They must agree
 * with the schema: `accepts` may only say yes to a value the schema accepts
 * and returns unchanged (the codec then skips the schema); `stringify` must
 * give JSON that parses back to the same value.
 */
export interface JsonCodecFastPath<T> {
  stringify?: (value: T) => string;
  accepts?: (json: unknown) => json is T;
}

// One fatal decoder validates UTF-8 and decodes in one pass.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A JSON codec validated by a zod schema. Decoding fails with a {@link CodecError}
 * naming the cause: not UTF-8, not JSON, or which fields break the schema.
 *
 * @example
 * ```ts
 * import { jsonCodec } from '@sneakpipe/core';
 * import { z } from 'zod';
 *
 * const codec = jsonCodec(z.object({ id: z.string(), quantity: z.number().int().positive() }));
 * const bytes = codec.encode({ id: 'a1', quantity: 2 });
 * const back = codec.decode(bytes); // throws CodecError on bad input
 * ```
 */
export function jsonCodec<S extends z.ZodType>(schema: S, fast: JsonCodecFastPath<z.output<S>> = {}): Codec<z.output<S>> {
  const stringify = fast.stringify ?? JSON.stringify;
  const accepts = fast.accepts;
  return {
    encode: (value) => Buffer.from(stringify(value), 'utf8'),
    decode(bytes) {
      let text: string;
      try {
        text = utf8.decode(bytes);
      } catch {
        // Bytes that are not UTF-8 are a decoding error, never silently replaced.
        throw new CodecError('not valid UTF-8');
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new CodecError(`invalid JSON: ${(error as Error).message}`);
      }
      if (accepts?.(json)) return json;
      const result = schema.safeParse(json);
      if (!result.success) throw new CodecError(`schema: ${describeIssues(result.error)}`);
      return result.data;
    },
  };
}
