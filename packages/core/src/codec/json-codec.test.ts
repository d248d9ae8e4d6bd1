import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CodecError } from '../contracts/codec.js';
import { jsonCodec } from './json-codec.js';

const Line = z.object({ id: z.string(), quantity: z.number().int().positive() });
const bytes = (text: string) => new TextEncoder().encode(text);

describe('jsonCodec()', () => {
  it('encodes to JSON and decodes back what the schema accepts', () => {
    const codec = jsonCodec(Line);
    expect(codec.decode(codec.encode({ id: 'a', quantity: 2 }))).toEqual({ id: 'a', quantity: 2 });
  });

  it('fails with a CodecError naming the cause: not UTF-8, not JSON, or the fields that break the schema', () => {
    const codec = jsonCodec(Line);
    expect(() => codec.decode(new Uint8Array([0xff, 0xfe]))).toThrow(CodecError);
    expect(() => codec.decode(new Uint8Array([0xff, 0xfe]))).toThrow(/UTF-8/);
    expect(() => codec.decode(bytes('{"id":'))).toThrow(/invalid JSON/);
    expect(() => codec.decode(bytes('{"id":"a","quantity":0}'))).toThrow(/schema: quantity/);
  });

  it('uses the fast path when given: its stringify encodes, and what it accepts skips the schema', () => {
    const codec = jsonCodec(Line, {
      stringify: (line) => `{"id":${JSON.stringify(line.id)},"quantity":${line.quantity}}`,
      // Deliberately looser than the schema, to show the schema is skipped for what it accepts.
      accepts: (json): json is z.output<typeof Line> => (json as { id?: unknown }).id === 'trusted',
    });
    expect(new TextDecoder().decode(codec.encode({ id: 'a', quantity: 1 }))).toBe('{"id":"a","quantity":1}');
    expect(codec.decode(bytes('{"id":"trusted","quantity":0}'))).toEqual({ id: 'trusted', quantity: 0 });
    expect(() => codec.decode(bytes('{"id":"other","quantity":0}'))).toThrow(/quantity/);
  });
});
