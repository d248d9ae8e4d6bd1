import type { DeadLetter, Decoded, OutgoingRecord, Sink, SourceRecord } from '@sneakpipe/core';

/** Header names carried by every record of the dead-letter topic. */
export const DEAD_LETTER_HEADERS = {
  reason: 'sneakpipe.dlq.reason',
  topic: 'sneakpipe.dlq.source.topic',
  partition: 'sneakpipe.dlq.source.partition',
  offset: 'sneakpipe.dlq.source.offset',
  failedAt: 'sneakpipe.dlq.failed_at',
} as const;

/** The dead-letter topic of a topic: `<topic>.dlq`. */
export const deadLetterTopicOf = (topic: string) => `${topic}.dlq`;

/**
 * A sink for decoded batches that publishes only their dead letters — the
 * original bytes, untouched, with the reason and source position in headers —
 * to a dead-letter topic (any `Sink<OutgoingRecord>`, usually a
 * `KafkaClient.topicSink` on `<topic>.dlq`). Valid records are ignored: pair it with a
 * warehouse through `fanOut`.
 */
export function deadLetterSink(topic: Sink<OutgoingRecord>): Sink<Decoded<unknown>> {
  return {
    async write(batch) {
      const records: OutgoingRecord[] = [];
      for (const item of batch) if (!item.ok) records.push(toDeadLetterRecord(item));
      if (records.length > 0) await topic.write(records);
    },
    close: () => topic.close?.() ?? Promise.resolve(),
  };
}

/**
 * A dead letter as a record of the dead-letter topic: its original bytes as
 * the value, untouched; its reason, the time it failed and its source position
 * (when known) in headers ({@link DEAD_LETTER_HEADERS}). Read back by
 * {@link fromDeadLetterRecord}.
 */
export function toDeadLetterRecord(dead: DeadLetter): OutgoingRecord {
  const headers: Record<string, string> = {
    [DEAD_LETTER_HEADERS.reason]: dead.reason,
    [DEAD_LETTER_HEADERS.failedAt]: new Date(dead.failedAt).toISOString(),
  };
  if (dead.position) {
    headers[DEAD_LETTER_HEADERS.topic] = dead.position.topic;
    headers[DEAD_LETTER_HEADERS.partition] = String(dead.position.partition);
    headers[DEAD_LETTER_HEADERS.offset] = String(dead.position.offset);
  }
  return { key: null, value: dead.raw, headers };
}

/**
 * The dead letter a record of the dead-letter topic carries (what
 * {@link toDeadLetterRecord} wrote): the original bytes, reason and source
 * position from its headers. A record written by another tool may lack some:
 * no reason header reads as `(no reason header)`, no readable failure time as
 * the record's own timestamp, and the position only when all three of its
 * headers are there.
 */
export function fromDeadLetterRecord(record: SourceRecord): DeadLetter {
  const h = record.headers ?? {};
  const partition = h[DEAD_LETTER_HEADERS.partition];
  const offset = h[DEAD_LETTER_HEADERS.offset];
  const topic = h[DEAD_LETTER_HEADERS.topic];
  const failedAt = Date.parse(h[DEAD_LETTER_HEADERS.failedAt] ?? '');
  return {
    ok: false,
    reason: h[DEAD_LETTER_HEADERS.reason] ?? '(no reason header)',
    raw: record.value,
    sizeBytes: record.value.byteLength,
    failedAt: Number.isNaN(failedAt) ? record.timestamp : failedAt,
    ...(topic !== undefined && partition !== undefined && offset !== undefined
      ? { position: { topic, partition: Number(partition), offset: Number(offset) } }
      : {}),
  };
}
