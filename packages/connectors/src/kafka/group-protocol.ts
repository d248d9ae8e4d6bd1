import { hasKafkaErrorType } from './errors.js';

/**
 * The partition-assignment protocol of sneakpipe's consumer groups, whatever
 * the client library.
 *
 * A Kafka group runs one protocol that every member offers; a member that
 * shares none with the group is refused (`INCONSISTENT_GROUP_PROTOCOL`).
 * sneakpipe 0.1.0 consumers (kafkajs) offer only kafkajs's
 * `RoundRobinAssigner`; `@platformatic/kafka` offers `roundrobin` unless told
 * otherwise. Both are the same protocol under two names: Kafka's standard
 * consumer-protocol encoding (subscription: version, topics, user data;
 * assignment: version, topic → partitions, user data) and partitions dealt
 * round-robin over the members, computed by whichever member the broker makes
 * leader. So every sneakpipe member offers `RoundRobinAssigner` first — the
 * name all of them agree on, so votes never split — and a `@platformatic/kafka`
 * member also offers `roundrobin`, which plain `@platformatic/kafka` consumers
 * speak.
 */
export const SHARED_ASSIGNMENT_PROTOCOL = 'RoundRobinAssigner';

/** `@platformatic/kafka`'s own name for the same protocol (its default). */
export const PLATFORMATIC_ASSIGNMENT_PROTOCOL = 'roundrobin';

/**
 * The error a member gets when its group runs a protocol it does not offer,
 * reworded into one line that says what to do.
 */
export function incompatibleGroupError(groupId: string, cause: unknown): Error {
  return new Error(
    `consumer group "${groupId}" runs a partition-assignment protocol this member does not offer (INCONSISTENT_GROUP_PROTOCOL): ` +
      `sneakpipe members offer "${SHARED_ASSIGNMENT_PROTOCOL}" (both clients) and "${PLATFORMATIC_ASSIGNMENT_PROTOCOL}" (@platformatic/kafka); ` +
      'stop or upgrade the group members that offer neither (e.g. Java consumers, or other applications), or use another --group',
    { cause },
  );
}

/** Whether `error` (from either client, possibly wrapped) is Kafka's INCONSISTENT_GROUP_PROTOCOL. */
export function isInconsistentGroupProtocol(error: unknown): boolean {
  return hasKafkaErrorType(error, 'INCONSISTENT_GROUP_PROTOCOL');
}
