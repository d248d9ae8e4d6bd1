import { firstValueFrom, from, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { CodecError, type Codec } from '../contracts/codec.js';
import type { SourceRecord } from '../contracts/records.js';
import { deserialize } from './deserialize.js';

/** Decodes a decimal number; anything else is a codec error. */
const numbers: Codec<number> = {
  encode: (n) => new TextEncoder().encode(String(n)),
  decode(bytes) {
    const text = new TextDecoder().decode(bytes);
    if (!/^\d+$/.test(text)) throw new CodecError(`not a number: ${text}`);
    return Number(text);
  },
};
const record = (text: string, offset: number): SourceRecord => ({
  topic: 't',
  partition: 1,
  offset,
  key: null,
  value: new TextEncoder().encode(text),
  timestamp: 0,
});

describe('deserialize()', () => {
  it('passes decoded values on with their position, and turns a record the codec refuses into a dead letter', async () => {
    const records = [record('7', 0), record('x', 1), record('42', 2)];
    const out = await firstValueFrom(from(records).pipe(deserialize(numbers), toArray()));
    expect(out).toHaveLength(3);
    expect(out[0]).toMatchObject({ ok: true, value: 7, sizeBytes: 1, position: { topic: 't', partition: 1, offset: 0 } });
    expect(out[1]).toMatchObject({ ok: false, reason: 'not a number: x', raw: records[1]!.value, position: { offset: 1 } });
    expect(out[2]).toMatchObject({ ok: true, value: 42, position: { offset: 2 } });
  });
});
