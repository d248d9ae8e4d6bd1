import type { DeadLetter, OutgoingRecord, SourceRecord } from '@sneakpipe/core';
import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_HEADERS, deadLetterSink, fromDeadLetterRecord, toDeadLetterRecord } from './dead-letter-sink.js';

/** A record as a consumer of the dead-letter topic receives what was published. */
const received = (record: OutgoingRecord, offset = 7, timestamp = 1_000): SourceRecord => ({
  topic: 'orders.dlq',
  partition: 0,
  offset,
  timestamp,
  key: record.key,
  value: record.value,
  ...(record.headers ? { headers: record.headers } : {}),
});

const dead: DeadLetter = {
  ok: false,
  reason: 'quantity: Too small: expected number to be >=1',
  raw: new Uint8Array([0xff, 0x7b, 0x00, 0x0a]),
  sizeBytes: 4,
  failedAt: Date.UTC(2025, 0, 31, 8, 0, 0, 123),
  position: { topic: 'orders', partition: 2, offset: 1041 },
};

describe('the dead-letter topic record', () => {
  it('reads back the dead letter it was written from: bytes untouched, reason, failure time and source position', () => {
    expect(fromDeadLetterRecord(received(toDeadLetterRecord(dead)))).toEqual(dead);
    const { position: _position, ...unplaced } = dead;
    expect(fromDeadLetterRecord(received(toDeadLetterRecord(unplaced)))).toEqual(unplaced);
  });

  it('reads a record lacking headers: no reason said so, the record time for the failure time, no partial position', () => {
    const bare = fromDeadLetterRecord(
      received(
        { key: null, value: dead.raw, headers: { [DEAD_LETTER_HEADERS.topic]: 'orders', [DEAD_LETTER_HEADERS.offset]: '3' } },
        9,
        4_242,
      ),
    );
    expect(bare).toEqual({ ok: false, reason: '(no reason header)', raw: dead.raw, sizeBytes: 4, failedAt: 4_242 });
  });

  it('the sink publishes the dead letters of a batch as those records, and nothing for valid ones', async () => {
    const written: OutgoingRecord[] = [];
    const sink = deadLetterSink({ write: async (records) => void written.push(...records) });
    await sink.write([{ ok: true, value: {}, sizeBytes: 2 }, dead]);
    expect(written).toEqual([toDeadLetterRecord(dead)]);
  });
});
