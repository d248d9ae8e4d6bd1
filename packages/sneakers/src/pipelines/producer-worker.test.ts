import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { packRecords, unpackRecords } from './producer-worker.js';

describe('the producer thread hand-off', () => {
  it('packs records into one buffer and unpacks the same keys and values, no key and empty values included', () => {
    const records = [
      { key: Buffer.from('1001'), value: Buffer.from('{"a":1}') },
      { key: null, value: Buffer.from('') },
      { key: Buffer.from(''), value: Buffer.from('été ✓') },
      { key: Buffer.from('7'), value: Buffer.from([0, 255, 10]) },
    ];
    const { data, ends } = packRecords(records);
    const back = unpackRecords(data, ends);
    expect(back.map((r) => [r.key === null ? null : Buffer.from(r.key).toString('hex'), Buffer.from(r.value).toString('hex')])).toEqual(
      records.map((r) => [r.key === null ? null : r.key.toString('hex'), r.value.toString('hex')]),
    );
  });
});
