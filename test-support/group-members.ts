import { openKafkaClient, type GroupMemberAssignment, type KafkaClientName } from '@sneakpipe/connectors/kafka';
import { kafkaBootstrap } from './kafka.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `groupMembers` with the `reader` client until `done` holds for what it
 * returns (a group settles some time after a member starts or leaves); throws,
 * with the last answer, after `timeoutMs`.
 */
export async function membersWhen(
  reader: KafkaClientName,
  groupId: string,
  topic: string,
  done: (members: GroupMemberAssignment[]) => boolean,
  timeoutMs = 30_000,
): Promise<GroupMemberAssignment[]> {
  const kafka = await openKafkaClient(reader, { brokers: [kafkaBootstrap()] });
  const deadline = Date.now() + timeoutMs;
  let members: GroupMemberAssignment[] = [];
  while (Date.now() < deadline) {
    members = await kafka.groupMembers(groupId, topic);
    if (done(members)) return members;
    await sleep(250);
  }
  throw new Error(`group ${groupId} never got there (read with ${reader}): ${JSON.stringify(members)}`);
}
