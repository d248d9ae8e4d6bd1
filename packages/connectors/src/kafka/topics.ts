import type { Kafka } from 'kafkajs';

/** What {@link ensureTopic} creates. */
export interface TopicSpec {
  topic: string;
  /** Default 3, as the seed's `rpk topic create sneaker-orders --partitions 3`. */
  partitions?: number;
  /** Default 1 (a single broker); use 3 on a production cluster. */
  replicationFactor?: number;
}

/**
 * Creates a topic if it does not exist (idempotent, safe when several
 * processes race to create it). An existing topic is left as it is.
 */
export async function ensureTopic(kafka: Kafka, spec: TopicSpec): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    if (existing.includes(spec.topic)) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: spec.topic, numPartitions: spec.partitions ?? 3, replicationFactor: spec.replicationFactor ?? 1 }],
    });
  } catch (error) {
    // Another process created it between our check and our request.
    if ((error as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw error;
  } finally {
    await admin.disconnect();
  }
}

/** Per partition: end offset, committed offset of a group, and the lag between them. */
export interface PartitionLag {
  readonly partition: number;
  readonly endOffset: number;
  readonly committed: number;
  readonly lag: number;
}

/** The lag of a consumer group on a topic, per partition (records not yet committed). */
export async function consumerLag(kafka: Kafka, groupId: string, topic: string): Promise<PartitionLag[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [ends, [committed]] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
    const committedBy = new Map(committed?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
    return ends
      .map((e) => {
        const endOffset = Number(e.high);
        const c = committedBy.get(e.partition);
        const start = c === undefined || c < 0 ? Number(e.low) : c;
        return { partition: e.partition, endOffset, committed: start, lag: Math.max(0, endOffset - start) };
      })
      .sort((a, b) => a.partition - b.partition);
  } finally {
    await admin.disconnect();
  }
}
