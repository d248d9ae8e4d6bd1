import { AssignerProtocol, type Admin, type Kafka } from 'kafkajs';
import type { GroupMemberAssignment, TopicSpec } from '../shared/kafka-client.js';
import { withTopicDefaults } from '../shared/defaults.js';
import { committedOffsets, groupLag, type PartitionLag } from '../shared/lag.js';

/** Runs `work` with a short-lived admin client. */
async function withAdmin<T>(kafka: Kafka, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates a topic if it does not exist (idempotent, safe when several
 * processes race to create it). An existing topic is left as it is.
 */
export function ensureTopic(kafka: Kafka, spec: TopicSpec): Promise<void> {
  return withAdmin(kafka, async (admin) => {
    try {
      const existing = await admin.listTopics();
      if (existing.includes(spec.topic)) return;
      const { partitions, replicationFactor } = withTopicDefaults(spec);
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: spec.topic, numPartitions: partitions, replicationFactor }] });
    } catch (error) {
      // Another process created it between our check and our request.
      if ((error as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw error;
    }
  });
}

/**
 * The committed offsets of a group on a topic, per partition (those with
 * one). kafkajs's consumer has no public read of them, so both sources read
 * them with an admin client (`@platformatic/kafka`'s `committedOffsetsOf`).
 */
export function committedOffsetsOf(kafka: Kafka, groupId: string, topic: string): Promise<Map<number, number>> {
  return withAdmin(kafka, async (admin) => {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return committedOffsets((offsets?.partitions ?? []).map((p) => [p.partition, Number(p.offset)] as const));
  });
}

/** The lag of a consumer group on a topic, per partition (records not yet committed). */
export function consumerLag(kafka: Kafka, groupId: string, topic: string): Promise<PartitionLag[]> {
  return withAdmin(kafka, async (admin) => {
    const [ends, [committed]] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
    return groupLag(
      ends.map((e) => ({ partition: e.partition, earliest: Number(e.low), end: Number(e.high) })),
      new Map(committed?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []),
    );
  });
}

/**
 * The members of a consumer group and the partitions of `topic` each owns,
 * with kafkajs's admin client (DescribeGroups). Each member's assignment is
 * decoded with kafkajs's reader of the standard consumer-protocol encoding,
 * which `@platformatic/kafka` members write too. An empty or unknown group
 * has no members; so does one that is not a consumer group.
 */
export function groupMembers(kafka: Kafka, groupId: string, topic: string): Promise<GroupMemberAssignment[]> {
  return withAdmin(kafka, async (admin) => {
    const { groups } = await admin.describeGroups([groupId]);
    const group = groups.find((g) => g.groupId === groupId);
    if (!group || group.protocolType !== 'consumer') return [];
    return group.members.map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      host: m.clientHost,
      partitions: partitionsOf(m.memberAssignment, topic),
    }));
  });
}

/** The partitions of `topic` in an encoded member assignment; none while the group rebalances (the assignment is empty then). */
function partitionsOf(assignment: Buffer, topic: string): number[] {
  if (assignment.length === 0) return [];
  const decoded = AssignerProtocol.MemberAssignment.decode(assignment);
  return [...(decoded?.assignment[topic] ?? [])].sort((a, b) => a - b);
}
