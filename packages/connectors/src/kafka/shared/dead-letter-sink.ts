import type { Decoded, OutgoingRecord, Sink } from '@sneakpipe/core';

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
      for (const item of batch) {
        if (item.ok) continue;
        const headers: Record<string, string> = {
          [DEAD_LETTER_HEADERS.reason]: item.reason,
          [DEAD_LETTER_HEADERS.failedAt]: new Date(item.failedAt).toISOString(),
        };
        if (item.position) {
          headers[DEAD_LETTER_HEADERS.topic] = item.position.topic;
          headers[DEAD_LETTER_HEADERS.partition] = String(item.position.partition);
          headers[DEAD_LETTER_HEADERS.offset] = String(item.position.offset);
        }
        records.push({ key: null, value: item.raw, headers });
      }
      if (records.length > 0) await topic.write(records);
    },
    close: () => topic.close?.() ?? Promise.resolve(),
  };
}
