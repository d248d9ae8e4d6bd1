import { randomUUID } from 'node:crypto';
import { deadLetterId } from '@sneakpipe/sneakers';
import type { DeadLetter, SourceRecord } from '@sneakpipe/core';
import { deadLetterTopicOf, fromDeadLetterRecord, type KafkaClient } from '@sneakpipe/connectors/kafka';
import { firstValueFrom, takeWhile, toArray, timeout } from 'rxjs';

/** A record of `<topic>.dlq` read back as the dead letter it carries. */
export interface TopicDeadLetter extends DeadLetter {
  readonly id: string;
  /** Where it sits in the dead-letter topic itself. */
  readonly dlqOffset: number;
}

/** The dead letter a `<topic>.dlq` record carries (decoded by the connector that wrote it), with its id and offset there. */
function topicDeadLetter(record: SourceRecord): TopicDeadLetter {
  const dead = fromDeadLetterRecord(record);
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
    return records.filter((r) => r.offset < ends.get(r.partition)!).map(topicDeadLetter);
  } finally {
    await source.stop().catch(() => undefined);
    await source.close().catch(() => undefined);
  }
}
