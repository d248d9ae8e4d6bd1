import kafkajs, { PartitionAssigners, type Cluster, type PartitionAssigner } from 'kafkajs';

import type { BeforeRejoin } from '../shared/revocation.js';

/** The coordinator calls kafkajs makes for a group member (its `Broker`, untyped in kafkajs's declarations). */
interface GroupCoordinator {
  joinGroup(request: { groupId: string; memberId?: string }): Promise<unknown>;
  syncGroup(request: { generationId: number }): Promise<unknown>;
  heartbeat(request: { groupId: string; groupGenerationId: number; memberId: string }): Promise<unknown>;
  leaveGroup(request: { groupId: string; memberId: string }): Promise<unknown>;
}

/** What a member knows of itself across coordinator objects (one may replace another after a reconnect). */
interface MemberState {
  /** Its generation, as its last SyncGroup said. */
  generationId: number;
  /** It holds an assignment: its next JoinGroup gives it up, so `beforeRejoin` runs first. */
  holdsAssignment: boolean;
}

const HOOKED = Symbol('sneakpipe.rejoinHook');

/**
 * kafkajs's own `RoundRobinAssigner` — the protocol sneakpipe 0.1.0 members
 * offer, which `@platformatic/kafka` members offer too (group-protocol.ts) —
 * plus a hook that runs `beforeRejoin` before each JoinGroup that gives up
 * an assignment, so the source can commit what it handed out before giving up
 * its partitions. A member's first join (and the library's retry after
 * MEMBER_ID_REQUIRED) is sent at once: it gives nothing up, and holding it
 * only delays the group.
 *
 * Once `closed()` is true the member joins nothing: kafkajs's `disconnect()`
 * during a first JoinGroup (which a coordinator holds for
 * `group.initial.rebalance.delay.ms`, 3 s by default, and longer while members
 * keep joining) stops nothing, since its runner is not "running" yet; when the
 * JoinGroup answers, the closed consumer would sync, take partitions and never
 * read them. So a join or sync that answers after the close leaves the group
 * and fails instead.
 *
 * kafkajs rejoins as soon as a heartbeat says the group is rebalancing and has
 * no hook for it. An assigner is built with the consumer's own cluster, and
 * the consumer asks that cluster for the group coordinator right before each
 * JoinGroup: that coordinator's `joinGroup` is wrapped (once per coordinator
 * object; nothing else of kafkajs calls it). While waiting, `heartbeat` sends
 * Heartbeats with the generation seen in the last SyncGroup, so the
 * coordinator keeps the member.
 */
export function roundRobinMember(beforeRejoin: BeforeRejoin, closed: () => boolean = () => false): PartitionAssigner {
  return (config) => {
    hookJoins(config.cluster, beforeRejoin, closed);
    return PartitionAssigners.roundRobin(config);
  };
}

function hookJoins(cluster: Cluster, beforeRejoin: BeforeRejoin, closed: () => boolean): void {
  const member: MemberState = { generationId: -1, holdsAssignment: false };
  const find = cluster.findGroupCoordinator.bind(cluster);
  cluster.findGroupCoordinator = async (group) => {
    const coordinator = await find(group);
    hook(coordinator as unknown as GroupCoordinator & { [HOOKED]?: true }, member, beforeRejoin, closed);
    return coordinator;
  };
}

function hook(
  coordinator: GroupCoordinator & { [HOOKED]?: true },
  member: MemberState,
  beforeRejoin: BeforeRejoin,
  closed: () => boolean,
): void {
  if (coordinator[HOOKED]) return;
  coordinator[HOOKED] = true;
  const leaveIfClosed = async (groupId: string, memberId: string | undefined) => {
    if (!closed()) return;
    if (memberId) await coordinator.leaveGroup({ groupId, memberId }).catch(() => undefined);
    throw new kafkajs.KafkaJSNonRetriableError('the consumer is closed: it does not join its group');
  };
  const sync = coordinator.syncGroup.bind(coordinator);
  coordinator.syncGroup = async (request) => {
    const { groupId, memberId } = request as { groupId: string; memberId: string; generationId: number };
    await leaveIfClosed(groupId, memberId);
    member.generationId = request.generationId;
    const response = await sync(request);
    await leaveIfClosed(groupId, memberId);
    member.holdsAssignment = true;
    return response;
  };
  const join = coordinator.joinGroup.bind(coordinator);
  coordinator.joinGroup = async (request) => {
    const { groupId, memberId } = request;
    await leaveIfClosed(groupId, memberId);
    if (member.holdsAssignment) {
      member.holdsAssignment = false;
      await beforeRejoin(async () => {
        if (!memberId || member.generationId < 0) return;
        await coordinator.heartbeat({ groupId, groupGenerationId: member.generationId, memberId }).catch(() => undefined);
      }).catch(() => undefined);
    }
    const response = await join(request);
    await leaveIfClosed(groupId, (response as { memberId?: string }).memberId ?? memberId);
    return response;
  };
}
