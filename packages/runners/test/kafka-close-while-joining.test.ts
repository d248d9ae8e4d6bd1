import { KAFKA_CLIENTS, openKafkaClient } from '@sneakpipe/connectors/kafka';
import { describe, expect, it } from 'vitest';
import { runCli } from '@sneakpipe/test-support/cli';
import { membersWhen } from '@sneakpipe/test-support/group-members';
import { kafkaBootstrap, testKafka, uniqueTopic } from '@sneakpipe/test-support/kafka';
import { waitUntil } from '@sneakpipe/test-support/wait';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a member closed while its JoinGroup is pending', () => {
  // The coordinator holds a newcomer's JoinGroup until the members it knows rejoin (up to a heartbeat
  // interval, 3 s), and a fresh group's first one for group.initial.rebalance.delay.ms. kafkajs's disconnect()
  // in that window stops nothing: without the source's guard the JoinGroup answers later, the closed consumer
  // syncs, takes partitions and keeps them, unread, for good (the fault suite's rebalance case stalled on it).
  it.each(KAFKA_CLIENTS)('%s: it leaves the group, and the member that stays gets every partition back', async (client) => {
    const topic = uniqueTopic(`close-joining-${client}`);
    const group = `g-${topic}`;
    expect((await runCli(['produce', '--count', '10', '--topic', topic, '--seed', '4'], { KAFKA_BOOTSTRAP: kafkaBootstrap() })).code).toBe(
      0,
    );
    const kafka = await openKafkaClient(client, { brokers: [kafkaBootstrap()] });
    const stays = kafka.source({ topic, groupId: group, sessionTimeoutMs: 10_000 });
    const staying = stays.records().subscribe();
    const admin = testKafka().admin();
    await admin.connect();
    try {
      await membersWhen(client, group, topic, (ms) => ms.length === 1 && ms[0]!.partitions.length === 3);
      // The newcomer is closed once the coordinator holds its JoinGroup (the group is rebalancing), before the member
      // that stays has rejoined (within its next heartbeat) and the rebalance completes. If it completed first, the
      // newcomer was not closed while joining: it leaves, the group settles, and the case is tried again.
      for (let tries = 1; ; tries++) {
        const leaves = kafka.source({ topic, groupId: group, sessionTimeoutMs: 10_000 });
        const leaving = leaves.records().subscribe();
        let state: string | undefined;
        await waitUntil(
          `group ${group} rebalancing for the newcomer's JoinGroup`,
          async () => ((state = (await admin.describeGroups([group])).groups[0]?.state) === 'PreparingRebalance' ? true : undefined),
          { timeoutMs: 30_000, everyMs: 20, seen: () => `group state ${state}` },
        );
        const stillJoining = leaves.partitions.length === 0;
        await leaves.stop();
        leaving.unsubscribe();
        await leaves.close();
        if (stillJoining) break;
        expect(tries, 'the rebalance completed before the newcomer was closed, every time').toBeLessThan(3);
        await membersWhen(client, group, topic, (ms) => ms.length === 1 && ms[0]!.partitions.length === 3, 30_000);
      }
      // Within a session timeout and a rebalance, whatever the closed member's JoinGroup did.
      const [member] = await membersWhen(client, group, topic, (ms) => ms.length === 1 && ms[0]!.partitions.length === 3, 30_000);
      expect(member!.partitions).toEqual([0, 1, 2]);
      // A closed member that synced after all would now heartbeat as a member: one heartbeat interval (3 s) shows it.
      await sleep(3_000);
      expect((await kafka.groupMembers(group, topic)).length, 'the closed member came back').toBe(1);
      expect(stays.partitions).toEqual([0, 1, 2]);
    } finally {
      await admin.disconnect();
      await stays.stop();
      staying.unsubscribe();
      await stays.close();
    }
  });
});
