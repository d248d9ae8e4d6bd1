import { PartitionAssigners, type Cluster, type PartitionAssigner } from 'kafkajs';

/** What {@link roundRobinMember} runs before each JoinGroup: resolves when the member may rejoin. */
export type BeforeRejoin = (heartbeat: () => Promise<void>) => Promise<void>;

/** The coordinator calls kafkajs makes for a group member (its `Broker`, untyped in kafkajs's declarations). */
interface GroupCoordinator {
  joinGroup(request: { groupId: string; memberId?: string }): Promise<unknown>;
  syncGroup(request: { generationId: number }): Promise<unknown>;
  heartbeat(request: { groupId: string; groupGenerationId: number; memberId: string }): Promise<unknown>;
}

const HOOKED = Symbol('sneakpipe.rejoinHook');

/**
 * kafkajs's own `RoundRobinAssigner` — the protocol sneakpipe 0.1.0 members
 * offer, which `@platformatic/kafka` members offer too (group-protocol.ts) —
 * plus a hook that runs `beforeRejoin` before each JoinGroup this member
 * sends, so the source can commit what it handed out before giving up its
 * partitions.
 *
 * kafkajs rejoins as soon as a heartbeat says the group is rebalancing and has
 * no hook for it. An assigner is built with the consumer's own cluster, and
 * the consumer asks that cluster for the group coordinator right before each
 * JoinGroup: that coordinator's `joinGroup` is wrapped (once per coordinator
 * object; nothing else of kafkajs calls it). While waiting, `heartbeat` sends
 * Heartbeats with the generation seen in the last SyncGroup, so the
 * coordinator keeps the member.
 */
export function roundRobinMember(beforeRejoin: BeforeRejoin): PartitionAssigner {
  return (config) => {
    hookJoins(config.cluster, beforeRejoin);
    return PartitionAssigners.roundRobin(config);
  };
}

function hookJoins(cluster: Cluster, beforeRejoin: BeforeRejoin): void {
  // The member's generation, as its last SyncGroup said: the coordinator object may be replaced after a reconnect.
  const member = { generationId: -1 };
  const find = cluster.findGroupCoordinator.bind(cluster);
  cluster.findGroupCoordinator = async (group) => {
    const coordinator = await find(group);
    hook(coordinator as unknown as GroupCoordinator & { [HOOKED]?: true }, member, beforeRejoin);
    return coordinator;
  };
}

function hook(coordinator: GroupCoordinator & { [HOOKED]?: true }, member: { generationId: number }, beforeRejoin: BeforeRejoin): void {
  if (coordinator[HOOKED]) return;
  coordinator[HOOKED] = true;
  const sync = coordinator.syncGroup.bind(coordinator);
  coordinator.syncGroup = (request) => {
    member.generationId = request.generationId;
    return sync(request);
  };
  const join = coordinator.joinGroup.bind(coordinator);
  coordinator.joinGroup = async (request) => {
    const { groupId, memberId } = request;
    await beforeRejoin(async () => {
      if (!memberId || member.generationId < 0) return;
      await coordinator.heartbeat({ groupId, groupGenerationId: member.generationId, memberId }).catch(() => undefined);
    }).catch(() => undefined);
    return join(request);
  };
}
