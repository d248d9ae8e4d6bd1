import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KAFKA_CLIENTS } from '@sneakpipe/connectors/kafka';
import { OrderEventGenerator, isValidLifecycle, orderEventCodec, type EventType } from '@sneakpipe/core';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../../../test-support/cli.js';
import { queryDuckDbFile } from '../../../test-support/duckdb.js';
import { kafkaBootstrap, readTopic, testKafka, uniqueTopic } from '../../../test-support/kafka.js';

const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-kafka-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function count(file: string, sql: string): Promise<number> {
  const [[n]] = (await queryDuckDbFile(file, sql)) as [[bigint]];
  return Number(n);
}

async function committedTotal(groupId: string, topic: string): Promise<number> {
  const admin = testKafka().admin();
  await admin.connect();
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  await admin.disconnect();
  return offsets!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

/** Waits until a consumer group is stable with `members` members, each owning partitions. */
async function waitForStableGroup(groupId: string, members: number, timeoutMs = 60_000): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { groups } = await admin.describeGroups([groupId]);
      const g = groups[0];
      if (g?.state === 'Stable' && g.members.length === members && g.members.every((m) => m.memberAssignment.length > 0)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`group ${groupId} did not become stable with ${members} members`);
  } finally {
    await admin.disconnect();
  }
}

describe.each(KAFKA_CLIENTS)(
  'Kafka pipeline on a real broker with the %s client (sneakpipe produce → Kafka → consume → DuckDB)',
  (client) => {
    const env = () => ({ KAFKA_BOOTSTRAP: kafkaBootstrap(), SNEAKPIPE_KAFKA_CLIENT: client });

    it('loads exactly 50,000 produced events, one row per EVENT_ID, each order in lifecycle order', async () => {
      const topic = uniqueTopic('e2e');
      const warehouse = join(dir, `${client}-e2e.duckdb`);
      const produced = await runCli(['produce', '--count', '50000', '--topic', topic, '--seed', '11'], env());
      expect(produced.code, produced.stderr).toBe(0);
      expect(produced.stdout).toMatch(/sent 50,000 events/);
      const consumed = await runCli(
        ['consume', '--topic', topic, '--group', `g-${topic}`, '--warehouse', warehouse, '--exit-when-idle', '3000'],
        env(),
      );
      expect(consumed.code, consumed.stderr).toBe(0);
      expect(consumed.stdout).toMatch(/loaded 50,000 events and 0 dead letters/);
      expect(await count(warehouse, 'SELECT COUNT(*) FROM STG.STREAMING_ORDERS')).toBe(50_000);
      expect(await count(warehouse, 'SELECT COUNT(DISTINCT EVENT_ID) FROM STG.STREAMING_ORDERS')).toBe(50_000);
      const orders = (await queryDuckDbFile(
        warehouse,
        'SELECT ORDER_ID, COUNT(DISTINCT KAFKA_PARTITION), list(EVENT_TYPE ORDER BY KAFKA_OFFSET) FROM STG.STREAMING_ORDERS GROUP BY 1',
      )) as [bigint, bigint, EventType[]][];
      for (const [orderId, partitions, types] of orders) {
        expect(partitions, String(orderId)).toBe(1n);
        expect(isValidLifecycle(types), `${orderId}: ${types.join(' > ')}`).toBe(true);
      }
      expect(await committedTotal(`g-${topic}`, topic)).toBe(50_000);
    });

    it('shares the partitions between two consumers of one group, which together load every event exactly once', async () => {
      const topic = uniqueTopic('group');
      const group = `g-${topic}`;
      await runCli(['produce', '--count', '1', '--topic', topic, '--seed', '1'], env()); // creates the topic (3 partitions)
      const files = [join(dir, `${client}-group-a.duckdb`), join(dir, `${client}-group-b.duckdb`)];
      const a = startCli(['consume', '--topic', topic, '--group', group, '--warehouse', files[0]!, '--exit-when-idle', '8000'], env());
      await a.waitFor(/joined consumer group/);
      const b = startCli(['consume', '--topic', topic, '--group', group, '--warehouse', files[1]!, '--exit-when-idle', '8000'], env());
      await b.waitFor(/joined consumer group/);
      await waitForStableGroup(group, 2);
      const produced = await runCli(['produce', '--count', '20000', '--topic', topic, '--seed', '2'], env());
      expect(produced.code, produced.stderr).toBe(0);
      const [ra, rb] = await Promise.all([a.done, b.done]);
      expect(ra.code, ra.stderr).toBe(0);
      expect(rb.code, rb.stderr).toBe(0);
      const ids = await Promise.all(
        files.map(async (f) => (await queryDuckDbFile(f, 'SELECT EVENT_ID FROM STG.STREAMING_ORDERS')).map((r) => r[0] as string)),
      );
      expect(ids[0]!.length).toBeGreaterThan(0);
      expect(ids[1]!.length).toBeGreaterThan(0);
      const all = new Set([...ids[0]!, ...ids[1]!]);
      expect(all.size).toBe(20_001);
      expect(ids[0]!.length + ids[1]!.length).toBe(20_001); // no event loaded by both
    });

    it('resumes from committed offsets after a stop: no loss, no duplicate', async () => {
      const topic = uniqueTopic('resume');
      const group = `g-${topic}`;
      const warehouse = join(dir, `${client}-resume.duckdb`);
      await runCli(['produce', '--count', '30000', '--topic', topic, '--seed', '3'], env());
      const first = startCli(['consume', '--topic', topic, '--group', group, '--warehouse', warehouse, '--batch-size', '1000'], {
        ...env(),
        SNEAKPIPE_LOG_LEVEL: 'debug',
      });
      await first.waitFor(/batch loaded/);
      // Stop it mid-run: SIGTERM finishes the in-flight batch, commits, leaves.
      first.child.kill('SIGTERM');
      const stopped = await first.done;
      expect(stopped.code, stopped.stderr).toBe(0);
      const firstLoaded = Number(/loaded ([\d,]+) events/.exec(stopped.stdout)![1]!.replaceAll(',', ''));
      expect(firstLoaded).toBeGreaterThan(0);
      expect(firstLoaded).toBeLessThan(30_000);
      expect(await committedTotal(group, topic)).toBe(firstLoaded);
      const second = await runCli(
        ['consume', '--topic', topic, '--group', group, '--warehouse', warehouse, '--exit-when-idle', '3000'],
        env(),
      );
      expect(second.code, second.stderr).toBe(0);
      const secondLoaded = Number(/loaded ([\d,]+) events/.exec(second.stdout)![1]!.replaceAll(',', ''));
      expect(firstLoaded + secondLoaded).toBe(30_000);
      expect(await count(warehouse, 'SELECT COUNT(*) FROM STG.STREAMING_ORDERS')).toBe(30_000);
    });

    it('sends malformed and invalid messages to the DLQ topic (with reasons) and DEAD_LETTERS, and loads every good event', async () => {
      const topic = uniqueTopic('dlq');
      const warehouse = join(dir, `${client}-dlq.duckdb`);
      await runCli(['produce', '--count', '2000', '--topic', topic, '--seed', '4'], env());
      const good = new OrderEventGenerator({ seed: 99, start: Date.now() - 60_000, clock: () => Date.now() }).draw()!;
      const bad: Array<[string, Buffer]> = [
        ['invalid JSON', Buffer.from('{"event_id": "x", ')],
        ['not valid UTF-8', Buffer.from([0xc3, 0x28, 0xff])],
        ['quantity', Buffer.from(JSON.stringify({ ...good, event_id: 'bad-1', quantity: 0 }))],
        ['unknown brand', Buffer.from(JSON.stringify({ ...good, event_id: 'bad-2', brand: 'Crocs' }))],
        ['total_amount', Buffer.from(JSON.stringify({ ...good, event_id: 'bad-3', total_amount: 1 }))],
        ['timestamp', Buffer.from(JSON.stringify({ ...good, event_id: 'bad-4', timestamp: '9999-12-31T00:00:00Z' }))],
      ];
      const producer = testKafka().producer();
      await producer.connect();
      await producer.send({ topic, messages: bad.map(([, value]) => ({ value })) });
      await producer.send({ topic, messages: [{ key: String(good.order_id), value: Buffer.from(orderEventCodec.encode(good)) }] });
      await producer.disconnect();
      await runCli(['produce', '--count', '1000', '--topic', topic, '--seed', '5'], env());

      const consumed = await runCli(
        ['consume', '--topic', topic, '--group', `g-${topic}`, '--warehouse', warehouse, '--exit-when-idle', '3000'],
        env(),
      );
      expect(consumed.code, consumed.stderr).toBe(0);
      expect(consumed.stdout).toMatch(/loaded 3,001 events and 6 dead letters/);
      expect(await count(warehouse, 'SELECT COUNT(*) FROM STG.STREAMING_ORDERS')).toBe(3_001);
      const dead = (await queryDuckDbFile(warehouse, 'SELECT REASON, RAW_VALUE, SOURCE_TOPIC FROM STG.DEAD_LETTERS')) as [
        string,
        Uint8Array,
        string,
      ][];
      expect(dead).toHaveLength(6);
      for (const [reason, raw] of bad) {
        const row = dead.find(([, bytes]) => Buffer.from(bytes).equals(raw));
        expect(row, reason).toBeDefined();
        expect(row![0]).toContain(reason);
        expect(row![2]).toBe(topic);
      }
      const dlq = await readTopic(`${topic}.dlq`, 6);
      expect(dlq).toHaveLength(6);
      for (const message of dlq) {
        expect(message.headers['sneakpipe.dlq.reason']).toBeTruthy();
        expect(message.headers['sneakpipe.dlq.source.topic']).toBe(topic);
        expect(Number(message.headers['sneakpipe.dlq.source.offset'])).toBeGreaterThanOrEqual(0);
      }
      expect(await committedTotal(`g-${topic}`, topic)).toBe(3_007);
    });
  },
);
