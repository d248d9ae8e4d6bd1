import { Admin, type BaseOptions } from '@platformatic/kafka';
import type { GroupMemberAssignment, TopicSpec } from '../shared/kafka-client.js';
import { withTopicDefaults } from '../shared/defaults.js';
import { committedOffsets, groupLag, type PartitionLag } from '../shared/lag.js';
import { kafkaErrorKind } from '../shared/errors.js';

/** Runs `work` with a short-lived admin client. */
async function withAdmin<T>(options: BaseOptions, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Admin(options);
  try {
    return await work(admin);
  } finally {
    await admin.close();
  }
}

/** Creates a topic if it does not exist; an existing topic is left as it is. */
export function ensureTopic(options: BaseOptions, spec: TopicSpec): Promise<void> {
  return withAdmin(options, async (admin) => {
    if ((await admin.listTopics()).includes(spec.topic)) return;
    try {
      const { partitions, replicationFactor } = withTopicDefaults(spec);
      await admin.createTopics({ topics: [spec.topic], partitions, replicas: replicationFactor });
    } catch (error) {
      // Another process created it between our check and our request.
      if (kafkaErrorKind(error).type !== 'TOPIC_ALREADY_EXISTS') throw error;
    }
  });
}

/**
 * The committed offsets of a group on `partitions` of a topic (those with
 * one), read with an admin client as kafkajs's `committedOffsetsOf` does.
 */
export function committedOffsetsOf(
  options: BaseOptions,
  groupId: string,
  topic: string,
  partitions: readonly number[],
): Promise<Map<number, number>> {
  return withAdmin(options, (admin) => listCommitted(admin, groupId, topic, partitions));
}

async function listCommitted(admin: Admin, groupId: string, topic: string, partitions: readonly number[]): Promise<Map<number, number>> {
  const [group] = await admin.listConsumerGroupOffsets({
    groups: [{ groupId, topics: [{ name: topic, partitionIndexes: [...partitions] }] }],
  });
  const listed = group?.topics.find((t) => t.name === topic)?.partitions ?? [];
  return committedOffsets(listed.map((p) => [p.partitionIndex, Number(p.committedOffset)] as const));
}

/** The lag of a consumer group on a topic, per partition (records not yet committed). */
export function consumerLag(options: BaseOptions, groupId: string, topic: string): Promise<PartitionLag[]> {
  return withAdmin(options, async (admin) => {
    const metadata = await admin.metadata({ topics: [topic] });
    const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
    const ids = Array.from({ length: count }, (_, i) => i);
    const offsetsAt = async (timestamp: bigint) => {
      const [listed] = await admin.listOffsets({
        topics: [{ name: topic, partitions: ids.map((partitionIndex) => ({ partitionIndex, timestamp })) }],
      });
      return new Map(listed?.partitions.map((p) => [p.partitionIndex, Number(p.offset)]) ?? []);
    };
    const [ends, starts, committed] = await Promise.all([offsetsAt(-1n), offsetsAt(-2n), listCommitted(admin, groupId, topic, ids)]);
    return groupLag(
      ids.map((partition) => ({ partition, earliest: starts.get(partition) ?? 0, end: ends.get(partition) ?? 0 })),
      committed,
    );
  });
}

/**
 * The members of a consumer group and the partitions of `topic` each owns
 * (DescribeGroups). The library decodes each member's standard
 * consumer-protocol assignment, which kafkajs members write too; an empty or
 * unknown group has no members.
 */
export function groupMembers(options: BaseOptions, groupId: string, topic: string): Promise<GroupMemberAssignment[]> {
  return withAdmin(options, async (admin) => {
    const group = (await admin.describeGroups({ groups: [groupId] })).get(groupId);
    if (!group || group.protocolType !== 'consumer') return [];
    return [...group.members.values()].map((m) => ({
      memberId: m.id,
      clientId: m.clientId,
      host: m.clientHost,
      partitions: [...(m.assignments?.get(topic)?.partitions ?? [])].sort((a, b) => a - b),
    }));
  });
}
