import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KAFKA_CLIENTS } from '@sneakpipe/connectors/kafka';
import { OrderEventGenerator, isValidLifecycle, orderEventCodec, type EventType } from '@sneakpipe/sneakers';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '@sneakpipe/test-support/cli';
import { queryDuckDbFile } from '@sneakpipe/test-support/duckdb';
import { committedTotal, kafkaBootstrap, readTopic, testKafka, uniqueTopic } from '@sneakpipe/test-support/kafka';

const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-kafka-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each partition's end offset: how many records it holds (the test topics are never truncated). */
async function topicEnds(topic: string): Promise<Map<number, number>> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
  } finally {
    await admin.disconnect();
  }
}

/**
 * Every record of `topic` in the DuckDB file exactly once: `rows` rows with as many distinct EVENT_IDs, and the
 * positions of the rows and of the dead letters together hold each offset of each partition (0 .. end - 1) once.
 * A record lost and another loaded twice keep the row count; they do not keep these.
 */
async function expectEachRecordOnce(warehouse: string, topic: string, rows: number): Promise<void> {
  const [[n, ids]] = (await queryDuckDbFile(warehouse, 'SELECT COUNT(*), COUNT(DISTINCT EVENT_ID) FROM STG.STREAMING_ORDERS')) as [
    [bigint, bigint],
  ];
  expect({ rows: Number(n), distinctEventIds: Number(ids) }).toEqual({ rows, distinctEventIds: rows });
  const positions = (await queryDuckDbFile(
    warehouse,
    `SELECT P, COUNT(*), COUNT(DISTINCT O), MIN(O), MAX(O) FROM (
       SELECT KAFKA_PARTITION AS P, KAFKA_OFFSET AS O FROM STG.STREAMING_ORDERS
       UNION ALL SELECT SOURCE_PARTITION, SOURCE_OFFSET FROM STG.DEAD_LETTERS) GROUP BY P ORDER BY P`,
  )) as [number, bigint, bigint, bigint, bigint][];
  const ends = [...(await topicEnds(topic))].filter(([, end]) => end > 0).sort(([a], [b]) => a - b);
  // Per partition: [partition, positions, distinct positions, lowest, highest].
  expect(positions.map(([p, all, distinct, low, high]) => [p, Number(all), Number(distinct), Number(low), Number(high)])).toEqual(
    ends.map(([p, end]) => [p, end, end, 0, end - 1]),
  );
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

    it('loads exactly 50,000 produced events, one row per EVENT_ID, each order in lifecycle order, and exits once idle', async () => {
      const topic = uniqueTopic('e2e');
      const warehouse = join(dir, `${client}-e2e.duckdb`);
      const produced = await runCli(['produce', '--count', '50000', '--topic', topic, '--seed', '11'], env());
      expect(produced.code, produced.stderr).toBe(0);
      expect(produced.stdout).toMatch(/sent 50,000 events/);
      const consumed = await runCli(
        ['consume', '--topic', topic, '--group', `g-${topic}`, '--warehouse', warehouse, '--exit-when-idle', '3000'],
        { ...env(), SNEAKPIPE_LOG_LEVEL: 'debug' },
      );
      expect(consumed.code, consumed.stderr).toBe(0);
      expect(consumed.stdout).toMatch(/loaded 50,000 events and 0 dead letters/);
      // Idle for 3 s, then out: the drained check adds no second idle period of its own.
      const logged = consumed.stderr.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { time: number; msg: string });
      const lastLoad = Math.max(...logged.filter((l) => l.msg === 'batch loaded').map((l) => l.time));
      const finished = logged.find((l) => l.msg === 'consumer finished')!.time;
      expect(finished - lastLoad).toBeLessThan(3_000 + 1_500);
      await expectEachRecordOnce(warehouse, topic, 50_000);
      const orders = (await queryDuckDbFile(
        warehouse,
        'SELECT ORDER_ID, COUNT(DISTINCT KAFKA_PARTITION), list(EVENT_TYPE ORDER BY KAFKA_OFFSET) FROM STG.STREAMING_ORDERS GROUP BY 1',
      )) as [bigint, bigint, EventType[]][];
      for (const [orderId, partitions, types] of orders) {
        expect(partitions, String(orderId)).toBe(1n);
        expect(isValidLifecycle(types), `${orderId}: ${types.join(' > ')}`).toBe(true);
      }
      expect(await committedTotal(`g-${topic}`, topic)).toBe(50_000);
      // stderr is JSON lines, nothing else: a library's warning (kafkajs on Node 24: TimeoutNegativeWarning) is logged, not printed raw.
      for (const line of [produced.stderr, consumed.stderr].join('\n').split('\n').filter(Boolean)) {
        expect(() => JSON.parse(line), line).not.toThrow();
      }
    });

    it('shares the partitions between two consumers of one group, which together load every event exactly once', async () => {
      const topic = uniqueTopic('group');
      const group = `g-${topic}`;
      const created = await runCli(['produce', '--count', '1', '--topic', topic, '--seed', '1'], env()); // creates the topic (3 partitions)
      expect(created.code, created.stderr).toBe(0);
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
      const produced = await runCli(['produce', '--count', '30000', '--topic', topic, '--seed', '3'], env());
      expect(produced.code, produced.stderr).toBe(0);
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
      await expectEachRecordOnce(warehouse, topic, 30_000);
    });

    it('sends malformed and invalid messages to the DLQ topic (with reasons) and DEAD_LETTERS, and loads every good event', async () => {
      const topic = uniqueTopic('dlq');
      const warehouse = join(dir, `${client}-dlq.duckdb`);
      const before = await runCli(['produce', '--count', '2000', '--topic', topic, '--seed', '4'], env());
      expect(before.code, before.stderr).toBe(0);
      const good = new OrderEventGenerator({ seed: 99, start: Date.now() - 60_000, clock: () => Date.now() }).draw()!;
      const bad: Array<[string, Buffer]> = [
        ['invalid JSON', Buffer.from('{"event_id": "x", ')],
        ['not valid UTF-8', Buffer.from([0xc3, 0x28, 0xff])],
        ['quantity', Buffer.from(JSON.stringify({ ...good, event_id: 'bad-1', quantity: 0 }))],
        ['brand', Buffer.from(JSON.stringify({ ...good, event_id: 'bad-2', brand: '' }))],
        ['total_amount', Buffer.from(JSON.stringify({ ...good, event_id: 'bad-3', total_amount: -1 }))],
        ['timestamp', Buffer.from(JSON.stringify({ ...good, event_id: 'bad-4', timestamp: '9999-12-31T00:00:00Z' }))],
      ];
      const producer = testKafka().producer();
      await producer.connect();
      await producer.send({ topic, messages: bad.map(([, value]) => ({ value })) });
      await producer.send({ topic, messages: [{ key: String(good.order_id), value: Buffer.from(orderEventCodec.encode(good)) }] });
      await producer.disconnect();
      const after = await runCli(['produce', '--count', '1000', '--topic', topic, '--seed', '5'], env());
      expect(after.code, after.stderr).toBe(0);

      const consumed = await runCli(
        ['consume', '--topic', topic, '--group', `g-${topic}`, '--warehouse', warehouse, '--exit-when-idle', '3000'],
        env(),
      );
      expect(consumed.code, consumed.stderr).toBe(0);
      expect(consumed.stdout).toMatch(/loaded 3,001 events and 6 dead letters/);
      await expectEachRecordOnce(warehouse, topic, 3_001);
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
      // The whole dead-letter topic, to its end: exactly the six invalid records, each once.
      const dlq = await readTopic(`${topic}.dlq`);
      const hex = (b: Buffer | Uint8Array | null) => Buffer.from(b ?? []).toString('hex');
      expect(dlq.map((m) => hex(m.value)).sort()).toEqual(bad.map(([, raw]) => hex(raw)).sort());
      for (const [reason, raw] of bad) {
        const message = dlq.find((m) => hex(m.value) === hex(raw))!;
        expect(message.headers['sneakpipe.dlq.reason'], reason).toContain(reason);
        expect(message.headers['sneakpipe.dlq.source.topic']).toBe(topic);
        expect(Number(message.headers['sneakpipe.dlq.source.offset'])).toBeGreaterThanOrEqual(0);
      }
      expect(await committedTotal(`g-${topic}`, topic)).toBe(3_007);
    });

    it("resumes from the warehouse's stored positions even when the group's committed offsets are ahead of them", async () => {
      const topic = uniqueTopic('ahead');
      const group = `g-${topic}`;
      const warehouse = join(dir, `${client}-ahead.duckdb`);
      const consume = ['consume', '--topic', topic, '--group', group, '--warehouse', warehouse, '--exit-when-idle', '2000'];
      expect((await runCli(['produce', '--count', '3000', '--topic', topic, '--seed', '31'], env())).code).toBe(0);
      expect((await runCli(consume, env())).code).toBe(0);
      expect((await runCli(['produce', '--count', '2000', '--topic', topic, '--seed', '32'], env())).code).toBe(0);
      // Someone moves the group to the end of the topic: Kafka alone would skip the 2,000 new records.
      const admin = testKafka().admin();
      await admin.connect();
      const ends = await admin.fetchTopicOffsets(topic);
      await admin.setOffsets({ groupId: group, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
      await admin.disconnect();
      const resumed = await runCli(consume, env());
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stdout).toMatch(/loaded 2,000 events and 0 dead letters/);
      if (client === 'platformatic') expect(resumed.stderr).toMatch(/fetching again from the stored position/);
      await expectEachRecordOnce(warehouse, topic, 5_000);
    });

    it("loads real producers' messages in the original format: verbatim, flagged, extra fields kept, ids derived and stable across a replay", async () => {
      const topic = uniqueTopic('original');
      const group = `g-${topic}`;
      const warehouse = join(dir, `${client}-original.duckdb`);
      // The original system's example message, byte for byte (no event_id; a model the catalog does not list).
      const original =
        '{"event_type":"order_created","timestamp":"2025-01-15T14:30:45.123Z","order_id":12345,"customer_name":"Marie Dubois","customer_city":"Paris","brand":"Nike","model":"Air Max 90","color":"White","size":"42","unit_price":120.50,"total_amount":241.00,"quantity":2}';
      const unknownModel = {
        event_id: '0b7e7c1e-3a43-4d8a-9f7e-2b1d6c0f9a11',
        event_type: 'order_created',
        timestamp: '2025-01-16T10:00:00.000Z',
        order_id: 777,
        customer_name: 'Jean Martin',
        customer_city: 'Lille',
        brand: 'Nike',
        model: 'Vomero 18',
        color: 'Volt',
        size: '44',
        unit_price: 150,
        total_amount: 135,
        quantity: 1,
        discount_code: 'WELCOME10',
      };
      const withoutId = { ...unknownModel, order_id: 778, model: 'Air Force 1' } as Record<string, unknown>;
      delete withoutId.event_id;
      const sentTwice = { ...unknownModel, event_id: 'upstream-dup', order_id: 779 };
      const admin = testKafka().admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
      const producer = testKafka().producer();
      await producer.connect();
      await producer.send({
        topic,
        messages: [original, unknownModel, withoutId, sentTwice, sentTwice].map((m) => ({
          partition: 0,
          value: typeof m === 'string' ? m : JSON.stringify(m),
        })),
      });
      await producer.disconnect();
      const consume = ['consume', '--topic', topic, '--group', group, '--warehouse', warehouse, '--exit-when-idle', '2000'];
      const first = await runCli(consume, env());
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/loaded 5 events and 0 dead letters/);
      // The group's offsets back to the start: a replay of every record, which the warehouse's positions absorb.
      await admin.resetOffsets({ groupId: group, topic, earliest: true });
      await admin.disconnect();
      const replay = await runCli(consume, env());
      expect(replay.code, replay.stderr).toBe(0);
      expect(replay.stdout).toMatch(/loaded 0 events and 0 dead letters/);
      if (client === 'kafkajs') {
        // kafkajs seeks assigned partitions to the stored positions: nothing is fetched again.
        expect(replay.stderr).toMatch(/"partitions":\{"0":5\},"msg":"resuming from the stored positions"/);
      } else {
        // @platformatic/kafka cannot seek: it is handed the records again and drops them.
        expect(replay.stdout).toMatch(/skipped 5 records the warehouse already had/);
      }
      const rows = (await queryDuckDbFile(
        warehouse,
        `SELECT ORDER_ID, EVENT_ID, MODEL, CAST(UNIT_PRICE AS DOUBLE), CAST(TOTAL_AMOUNT AS DOUBLE), QUANTITY, "TIMESTAMP", QUALITY_FLAGS,
                EXTRA_FIELDS->>'discount_code', KAFKA_OFFSET
         FROM STG.STREAMING_ORDERS ORDER BY KAFKA_OFFSET`,
      )) as unknown[][];
      expect(rows).toEqual([
        [12345n, `${topic}:0:0`, 'Air Max 90', 120.5, 241, 2, new Date('2025-01-15T14:30:45.123Z'), 'unknown_model', null, 0n],
        [
          777n,
          unknownModel.event_id,
          'Vomero 18',
          150,
          135,
          1,
          new Date('2025-01-16T10:00:00Z'),
          'unknown_model,unknown_color,total_mismatch',
          'WELCOME10',
          1n,
        ],
        [
          778n,
          `${topic}:0:2`,
          'Air Force 1',
          150,
          135,
          1,
          new Date('2025-01-16T10:00:00Z'),
          'unknown_color,total_mismatch',
          'WELCOME10',
          2n,
        ],
        [
          779n,
          'upstream-dup',
          'Vomero 18',
          150,
          135,
          1,
          new Date('2025-01-16T10:00:00Z'),
          'unknown_model,unknown_color,total_mismatch',
          'WELCOME10',
          3n,
        ],
        [
          779n,
          'upstream-dup',
          'Vomero 18',
          150,
          135,
          1,
          new Date('2025-01-16T10:00:00Z'),
          'unknown_model,unknown_color,total_mismatch',
          'WELCOME10',
          4n,
        ],
      ]);
      // An event its producer sent twice is two rows; the reports count it once.
      const report = await runCli(
        ['report', 'daily', '--date', '2025-01-17', '--timezone', 'UTC', '--warehouse', warehouse, '--out', join(dir, `${client}-reports`)],
        env(),
      );
      expect(report.code, report.stderr).toBe(0);
      const daily = JSON.parse(readFileSync(join(dir, `${client}-reports`, 'daily-2025-01-17.json'), 'utf8')) as {
        kpis: { orders: number; revenue: number; flaggedEvents: number };
      };
      expect(daily.kpis).toMatchObject({ orders: 3, revenue: 405, flaggedEvents: 3 });
    });
  },
);
