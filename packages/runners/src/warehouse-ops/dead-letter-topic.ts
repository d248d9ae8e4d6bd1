import { randomUUID } from 'node:crypto';
import { deadLetterId } from '@sneakpipe/sneakers';
import type { DeadLetter, SourceRecord } from '@sneakpipe/core';
import { DEAD_LETTER_HEADERS, deadLetterTopicOf, type KafkaClient } from '@sneakpipe/connectors/kafka';
import { firstValueFrom, takeWhile, toArray, timeout } from 'rxjs';

/** A record of `<topic>.dlq` read back as the dead letter it carries. */
export interface TopicDeadLetter extends DeadLetter {
  readonly id: string;
  /** Where it sits in the dead-letter topic itself. */
  readonly dlqOffset: number;
}

/** The dead letter a `<topic>.dlq` record carries: original bytes, reason and source position from its headers. */
export function fromDeadLetterRecord(record: SourceRecord): TopicDeadLetter {
  const h = record.headers ?? {};
  const partition = h[DEAD_LETTER_HEADERS.partition];
  const offset = h[DEAD_LETTER_HEADERS.offset];
  const topic = h[DEAD_LETTER_HEADERS.topic];
  const failedAt = Date.parse(h[DEAD_LETTER_HEADERS.failedAt] ?? '');
  const dead: DeadLetter = {
    ok: false,
    reason: h[DEAD_LETTER_HEADERS.reason] ?? '(no reason header)',
    raw: record.value,
    sizeBytes: record.value.byteLength,
    failedAt: Number.isNaN(failedAt) ? record.timestamp : failedAt,
    ...(topic !== undefined && partition !== undefined && offset !== undefined
      ? { position: { topic, partition: Number(partition), offset: Number(offset) } }
      : {}),
  };
  return { ...dead, id: deadLetterId(dead), dlqOffset: record.offset };
}

/**
 * Every record of `<topic>.dlq` from the beginning to its end as of now, as
 * dead letters. Reads as a throwaway consumer group that commits nothing.
 */
export async function readDeadLetterTopic(kafka: KafkaClient, topic: string, idleMs = 15_000): Promise<TopicDeadLetter[]> {
  const dlq = deadLetterTopicOf(topic);
  const group = `sneakpipe-dead-letters-${randomUUID()}`;
  const ends = new Map((await kafka.consumerLag(group, dlq)).map((p) => [p.partition, p.endOffset]));
  const remaining = new Set([...ends].filter(([, end]) => end > 0).map(([partition]) => partition));
  if (remaining.size === 0) return [];
  const source = kafka.source({ topic: dlq, groupId: group, fromBeginning: true });
  try {
    const records = await firstValueFrom(
      source.records().pipe(
        timeout({ each: idleMs }),
        takeWhile((record) => {
          if (record.offset >= ends.get(record.partition)! - 1) remaining.delete(record.partition);
          return remaining.size > 0;
        }, true),
        toArray(),
      ),
    );
    return records.filter((r) => r.offset < ends.get(r.partition)!).map(fromDeadLetterRecord);
  } finally {
    await source.stop().catch(() => undefined);
    await source.close().catch(() => undefined);
  }
}
