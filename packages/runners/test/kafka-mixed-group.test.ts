import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KAFKA_CLIENTS, type KafkaClientName } from '@sneakpipe/connectors/kafka';
import { PartitionAssigners } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '@sneakpipe/test-support/cli';
import { queryDuckDbFile } from '@sneakpipe/test-support/duckdb';
import { membersWhen } from '@sneakpipe/test-support/group-members';
import { committedTotal, kafkaBootstrap, testKafka, uniqueTopic } from '@sneakpipe/test-support/kafka';
import { waitUntil } from '@sneakpipe/test-support/wait';

// Upgrades of a running group: sneakpipe 0.1.0 consumers ran kafkajs; the default client is now @platformatic/kafka.
// Members of both kinds must share one group, each loading into its own warehouse (a DuckDB file each), so Kafka's
// committed offsets are the only position they share.

const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-mixed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = () => ({ KAFKA_BOOTSTRAP: kafkaBootstrap() });

/** The group's committed offset per partition of the topic (-1 where none). */
async function committedOffsets(group: string, topic: string): Promise<number[]> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return offsets!.partitions.sort((x, y) => x.partition - y.partition).map((p) => Number(p.offset));
  } finally {
    await admin.disconnect();
  }
}

async function eventIds(file: string): Promise<string[]> {
  return (await queryDuckDbFile(file, 'SELECT EVENT_ID FROM STG.STREAMING_ORDERS')).map((r) => r[0] as string);
}

const ORDERS: [KafkaClientName, KafkaClientName][] = [
  ['kafkajs', 'platformatic'],
  ['platformatic', 'kafkajs'],
];

describe('mixed consumer groups: kafkajs (0.1.0) and @platformatic/kafka members in one group', () => {
  it.each(ORDERS)(
    'a %s member, then a %s member, on a 3-partition topic: both own partitions and load, every record is loaded exactly once across their two warehouses, nobody crashes',
    async (first, second) => {
      const topic = uniqueTopic(`mixed-${first}`);
      const group = `g-${topic}`;
      const events = 24_000;
      const files = [join(dir, `${topic}-a.duckdb`), join(dir, `${topic}-b.duckdb`)] as const;
      // Debug level: the second member is stopped only once it has loaded a batch of its own (a loaded machine can
      // take seconds from an assignment to a first load), so what it owns is really shared. The producer runs 16 s:
      // with Kafka's 3 s initial rebalance delay the first member joins 3 s late, and records must still be coming
      // when the second one gets its partitions.
      const consume = (client: KafkaClientName, warehouse: string) =>
        startCli(
          [
            'consume',
            ...['--kafka-client', client, '--topic', topic, '--group', group, '--warehouse', warehouse],
            ...['--batch-size', '500', '--exit-when-idle', '8000'],
          ],
          { ...env(), SNEAKPIPE_LOG_LEVEL: 'debug' },
        );
      // Records keep arriving (3,000/s for 8 s) through every rebalance, so members hold records in flight when they happen.
      const producer = startCli(['produce', '--count', String(events), '--rate', '1500', '--topic', topic, '--seed', '18'], env());
      await producer.waitFor(/producer started/);
      const a = consume(first, files[0]);
      // The first member has loaded (and committed) records of every partition before the second one joins: each
      // partition it gives up then has a position in its warehouse, which the second member's loads overtake.
      let committed: number[] = [];
      await waitUntil(
        `${first} member's commits on all 3 partitions`,
        async () => ((committed = await committedOffsets(group, topic)).filter((o) => o > 0).length === 3 ? true : undefined),
        { timeoutMs: 60_000, seen: () => `committed offsets ${JSON.stringify(committed)}\n${a.stderr().slice(-1500)}` },
      );
      const b = consume(second, files[1]);
      // Both own partitions: read back with the other client than the one that joined first, so both decoders are used.
      const shared = await membersWhen(second, group, topic, (m) => m.length === 2 && m.every((x) => x.partitions.length > 0)).catch(
        (error: Error) => {
          throw new Error(`${error.message}\n${second} member's log:\n${b.stderr().slice(-1500)}`);
        },
      );
      expect(shared.flatMap((m) => m.partitions).sort((x, y) => x - y)).toEqual([0, 1, 2]);
      // It has loaded, and committed past the first member's positions, a batch of its own (logged once committed).
      await b.waitFor(/batch loaded/, 60_000);
      // The second member leaves mid-stream: the first gets back partitions the second loaded meanwhile, into another warehouse.
      b.child.kill('SIGTERM');
      const [rb, rp, ra] = [await b.done, await producer.done, await a.done];
      expect(rp.code, rp.stderr).toBe(0);
      expect(ra.code, ra.stderr).toBe(0);
      expect(rb.code, rb.stderr).toBe(0);
      const [idsA, idsB] = await Promise.all(files.map(eventIds));
      const loaded = `${first} loaded ${idsA!.length}, ${second} loaded ${idsB!.length}`;
      expect(idsA!.length, loaded).toBeGreaterThan(0);
      expect(idsB!.length, loaded).toBeGreaterThan(0);
      expect(new Set([...idsA!, ...idsB!]).size, loaded).toBe(events);
      expect(idsA!.length + idsB!.length, `${loaded}: no event in both warehouses`).toBe(events);
      expect(await committedTotal(group, topic)).toBe(events);
      // The first member got back what the second had loaded, and resumed past it rather than from its own warehouse.
      expect(ra.stderr).toMatch(/regained partitions that another member loaded meanwhile/);
    },
  );

  it.each(KAFKA_CLIENTS)(
    'a %s member refuses, in one line saying what to do, a group that runs an assignment protocol it does not offer',
    async (client) => {
      const topic = uniqueTopic(`foreign-${client}`);
      const group = `g-${topic}`;
      expect((await runCli(['produce', '--count', '10', '--topic', topic, '--seed', '4'], env())).code).toBe(0);
      // A member of another application, whose assigner has another name.
      const foreign = testKafka().consumer({
        groupId: group,
        partitionAssigners: [(c) => ({ ...PartitionAssigners.roundRobin(c), name: 'OtherAssigner' })],
      });
      await foreign.connect();
      try {
        await foreign.subscribe({ topics: [topic], fromBeginning: true });
        const joined = new Promise((r) => foreign.on(foreign.events.GROUP_JOIN, r));
        await foreign.run({ eachMessage: async () => undefined });
        await joined;
        const refused = await runCli(
          ['consume', '--kafka-client', client, '--topic', topic, '--group', group, '--warehouse', join(dir, `${topic}.duckdb`)],
          env(),
        );
        expect(refused.code).toBe(1);
        const lines = refused.stderr.split('\n').filter((l) => l.includes('partition-assignment protocol'));
        expect(lines, refused.stderr).toHaveLength(1);
        expect(lines[0]).toMatch(
          /^sneakpipe: consumer group "g-foreign-.*" runs a partition-assignment protocol this member does not offer/,
        );
        expect(lines[0]).toMatch(/use another --group/);
      } finally {
        await foreign.disconnect();
      }
    },
  );
});
