import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KAFKA_CLIENTS, openKafkaClient } from '@sneakpipe/connectors/kafka';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '@sneakpipe/test-support/cli';
import { membersWhen } from '@sneakpipe/test-support/group-members';
import { kafkaBootstrap, uniqueTopic } from '@sneakpipe/test-support/kafka';

const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-members-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = () => ({ KAFKA_BOOTSTRAP: kafkaBootstrap() });

describe("KafkaClient.groupMembers: a group's members now and the partitions each owns", () => {
  it.each(KAFKA_CLIENTS)(
    'lists a live %s member with the partitions it owns, read with either client; an unknown group has none',
    async (client) => {
      const topic = uniqueTopic(`members-${client}`);
      const group = `g-${topic}`;
      expect((await runCli(['produce', '--count', '10', '--topic', topic, '--seed', '4'], env())).code).toBe(0);
      const member = startCli(
        ['consume', '--kafka-client', client, '--topic', topic, '--group', group, '--warehouse', join(dir, `${topic}.duckdb`)],
        env(),
      );
      try {
        await member.waitFor(/joined consumer group/);
        for (const reader of KAFKA_CLIENTS) {
          const [m] = await membersWhen(reader, group, topic, (ms) => ms.length === 1 && ms[0]!.partitions.length === 3);
          expect(m!.memberId).toMatch(/^sneakpipe-/);
          expect(m!.clientId).toBe('sneakpipe');
          expect(m!.host).toMatch(/127\.0\.0\.1/);
          expect(m!.partitions).toEqual([0, 1, 2]);
          const kafka = await openKafkaClient(reader, { brokers: [kafkaBootstrap()] });
          expect(await kafka.groupMembers(`no-such-group-${topic}`, topic)).toEqual([]);
          expect(await kafka.groupMembers(group, 'another-topic')).toEqual([{ ...m!, partitions: [] }]);
        }
      } finally {
        // Never left running by a failed assertion.
        member.child.kill('SIGTERM');
      }
      const stopped = await member.done;
      expect(stopped.code, stopped.stderr).toBe(0);
      // Gone once it left the group.
      await membersWhen(client, group, topic, (ms) => ms.length === 0);
    },
  );
});
