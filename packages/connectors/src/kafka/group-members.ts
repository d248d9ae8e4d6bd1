import { AssignerProtocol, type Kafka } from 'kafkajs';
import type { GroupMemberAssignment } from './client.js';

/**
 * The members of a consumer group and the partitions of `topic` each owns,
 * with kafkajs's admin client (DescribeGroups). Each member's assignment is
 * decoded with kafkajs's reader of the standard consumer-protocol encoding,
 * which `@platformatic/kafka` members write too. An empty or unknown group
 * has no members; so does one that is not a consumer group.
 */
export async function groupMembers(kafka: Kafka, groupId: string, topic: string): Promise<GroupMemberAssignment[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    const group = groups.find((g) => g.groupId === groupId);
    if (!group || group.protocolType !== 'consumer') return [];
    return group.members.map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      host: m.clientHost,
      partitions: partitionsOf(m.memberAssignment, topic),
    }));
  } finally {
    await admin.disconnect();
  }
}

/** The partitions of `topic` in an encoded member assignment; none while the group rebalances (the assignment is empty then). */
function partitionsOf(assignment: Buffer, topic: string): number[] {
  if (assignment.length === 0) return [];
  const decoded = AssignerProtocol.MemberAssignment.decode(assignment);
  return [...(decoded?.assignment[topic] ?? [])].sort((a, b) => a - b);
}
