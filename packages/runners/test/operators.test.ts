/**
 * The operator commands against the real broker and both warehouses:
 * `dead-letters list | show | replay` and `status`, beside a running consumer
 * (which holds the DuckDB file) and after it; replay exactly once through a
 * crash (SIGKILL) and three replays at once; replay from `<topic>.dlq`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { SnowflakeWarehouse } from '@sneakpipe/connectors/snowflake';
import { WAREHOUSE_LOCATION, WAREHOUSE_TABLES, DEAD_LETTERS, OrderEventGenerator } from '@sneakpipe/sneakers';
import type { Warehouse } from '@sneakpipe/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '@sneakpipe/test-support/cli';
import { queryDuckDbFile } from '@sneakpipe/test-support/duckdb';
import { kafkaBootstrap, testKafka, uniqueTopic } from '@sneakpipe/test-support/kafka';
import { snowflakeTestConnection, snowflakeTestEnv, uniqueSchema } from '@sneakpipe/test-support/snowflake';
import { waitUntil } from '@sneakpipe/test-support/wait';

const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-operators-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BAD = ['not json', '[1]', '{"order_id":"x"}'];
const encoder = new TextEncoder();

/** Produces `valid` generated events with the CLI and the three bad records with a foreign client. */
async function topicWithDeadLetters(valid: number): Promise<string> {
  const topic = uniqueTopic('ops');
  const produced = await runCli(['produce', '--count', String(valid), '--topic', topic], { KAFKA_BOOTSTRAP: kafkaBootstrap() });
  expect(produced.code, produced.stderr).toBe(0);
  const producer = testKafka().producer();
  await producer.connect();
  await producer.send({ topic, messages: BAD.map((value, i) => ({ key: `b${i}`, value })) });
  await producer.disconnect();
  return topic;
}

const json = <T>(text: string): T => JSON.parse(text) as T;
const count = async (file: string, sql: string) => Number(((await queryDuckDbFile(file, sql)) as [[bigint]])[0][0]);

/**
 * Dead letters as 0.1.0 stored them: events 0.1.0's stricter schema refused
 * (an unknown brand) and today's accepts, plus records no rule accepts.
 */
function oldDeadLetters(n: number, topic: string) {
  const generator = new OrderEventGenerator({ seed: 5, start: Date.UTC(2025, 0, 1) });
  const rows = Array.from({ length: n }, (_, offset) => [
    `${topic}:0:${offset}`,
    'schema: brand: unknown brand "Hoka"',
    encoder.encode(JSON.stringify({ ...generator.draw(), brand: 'Hoka' })),
    topic,
    0,
    offset,
    Date.UTC(2025, 0, 1),
  ]);
  const hostile = BAD.map((text, i) => [`${topic}:1:${i}`, 'invalid JSON: old', encoder.encode(text), topic, 1, i, Date.UTC(2025, 0, 1)]);
  return [...rows, ...hostile];
}

async function seedWarehouse(warehouse: Warehouse, rows: unknown[][]): Promise<void> {
  await warehouse.append({ tables: [{ table: DEAD_LETTERS, rows: rows as never }] });
  await warehouse.close();
}

describe('sneakpipe dead-letters and status', () => {
  it('beside a running consumer on DuckDB: list, show, status and replay go through the consumer that holds the file', async () => {
    const topic = await topicWithDeadLetters(300);
    const group = `g-${topic}`;
    const file = join(dir, 'live.duckdb');
    const env = { KAFKA_BOOTSTRAP: kafkaBootstrap() };
    const consumer = startCli(['consume', '--topic', topic, '--group', group, '--warehouse', file, '--exit-when-idle', '60000'], env);
    try {
      const port = Number((await consumer.waitFor(/metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/))[1]);
      // The consumer has the file: a second process cannot open it, the commands go through the consumer.
      type Listed = { total: number; byReason: Record<string, number>; deadLetters: { id: string; state: string; reason: string }[] };
      let last: unknown;
      const listed = await waitUntil(
        'the three dead letters listed',
        async () => {
          const list = await runCli(['dead-letters', 'list', '--json', '--warehouse', file], env);
          last = list.code === 0 ? json<Listed>(list.stdout) : list.stderr;
          return list.code === 0 && json<Listed>(list.stdout).total === 3 ? json<Listed>(list.stdout) : undefined;
        },
        { timeoutMs: 60_000, everyMs: 500, seen: () => last },
      );
      expect(listed.byReason).toEqual({ invalid_json: 1, schema: 2 });
      expect(listed.deadLetters.map((d) => d.state)).toEqual(['pending', 'pending', 'pending']);

      // The one record that is not JSON at all: `show` gives back exactly its bytes.
      const notJson = listed.deadLetters.filter((d) => d.reason.startsWith('invalid JSON'));
      expect(notJson, JSON.stringify(listed.deadLetters)).toHaveLength(1);
      const show = await runCli(['dead-letters', 'show', notJson[0]!.id, '--json', '--warehouse', file], env);
      expect(show.code, show.stderr).toBe(0);
      const shown = json<{ id: string; text: string; rawBase64: string; topic: string }>(show.stdout);
      expect(shown.id).toBe(notJson[0]!.id);
      expect(shown.text).toBe('not json');
      expect(Buffer.from(shown.rawBase64, 'base64').toString()).toBe('not json');
      expect(shown.topic).toBe(topic);
      const human = await runCli(['dead-letters', 'show', notJson[0]!.id, '--warehouse', file], env);
      // 'not json' as hex: 6e 6f 74 20 6a 73 6f 6e.
      expect(human.stdout).toMatch(/as hex:\n00000000  6e 6f 74 20 6a 73 6f 6e /);

      const status = await runCli(['status', '--json', '--topic', topic, '--group', group, '--warehouse', file], env);
      expect(status.code, status.stderr).toBe(0);
      const report = json<{
        partitions: { partition: number; lag: number; stored: number; endOffset: number; owner: string | null }[];
        members: unknown[];
        deadLettersLastHour: { total: number };
      }>(status.stdout);
      expect(report.partitions).toHaveLength(3);
      for (const p of report.partitions) {
        expect(p).toMatchObject({ lag: 0, stored: p.endOffset });
        expect(p.owner).not.toBeNull();
      }
      expect(report.members).toHaveLength(1);
      expect(report.deadLettersLastHour.total).toBe(3);

      // Nothing is valid today that was not yesterday: all three stay dead letters, marked with today's reason.
      const replay = await runCli(['dead-letters', 'replay', '--json', '--warehouse', file], env);
      expect(replay.code, replay.stderr).toBe(0);
      expect(json(replay.stdout)).toMatchObject({ considered: 3, loaded: 0, stillDead: 3 });
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/sneaker_dead_letters_replayed_total\{result="dead"\} 3/);
    } finally {
      consumer.child.kill('SIGTERM');
    }
    const done = await consumer.done;
    expect(done.code, done.stderr.slice(-1000)).toBe(0);
    // Stopped: the commands open the file themselves now.
    const after = await runCli(['dead-letters', 'list', '--json', '--state', 'dead', '--warehouse', file], {});
    expect(after.code, after.stderr).toBe(0);
    expect(json<{ total: number }>(after.stdout).total).toBe(3);
  });

  it('replay on DuckDB: killed half-way (SIGKILL), then run twice more: every now-valid record loads exactly once', async () => {
    const N = 3000;
    const file = join(dir, 'replay.duckdb');
    await seedWarehouse(
      await DuckDbWarehouse.open({ path: file, ...WAREHOUSE_LOCATION }, { tables: WAREHOUSE_TABLES }),
      oldDeadLetters(N, 'old-orders'),
    );
    const replay = startCli(['dead-letters', 'replay', '--batch-size', '100', '--warehouse', file], { SNEAKPIPE_LOG_LEVEL: 'debug' });
    await replay.waitFor(/replay batch committed/, 60_000);
    replay.child.kill('SIGKILL');
    expect((await replay.done).signal).toBe('SIGKILL');
    const partial = await count(file, 'SELECT COUNT(*) FROM STG.STREAMING_ORDERS');
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(N);
    for (let i = 0; i < 2; i++) {
      const again = await runCli(['dead-letters', 'replay', '--json', '--warehouse', file], {});
      expect(again.code, again.stderr).toBe(0);
      expect(json(again.stdout)).toMatchObject(i === 0 ? { loaded: N - partial, stillDead: 3 } : { loaded: 0, stillDead: 3 });
    }
    expect(await count(file, 'SELECT COUNT(*) FROM STG.STREAMING_ORDERS')).toBe(N);
    expect(await count(file, 'SELECT COUNT(DISTINCT EVENT_ID) FROM STG.STREAMING_ORDERS')).toBe(N);
    expect(
      await count(file, "SELECT COUNT(*) FROM STG.STREAMING_ORDERS WHERE BRAND = 'Hoka' AND QUALITY_FLAGS LIKE '%unknown_brand%'"),
    ).toBe(N);
    expect(await count(file, 'SELECT COUNT(*) FROM STG.DEAD_LETTERS')).toBe(N + 3);
    const list = await runCli(['dead-letters', 'list', '--json', '--state', 'dead', '--warehouse', file], {});
    const dead = json<{ total: number; deadLetters: { reason: string; firstReason: string }[] }>(list.stdout);
    expect(dead.total).toBe(3);
    // Marked with today's reason, the first one kept.
    expect(dead.deadLetters.map((d) => ({ firstReason: d.firstReason, changed: d.reason !== d.firstReason }))).toEqual(
      Array.from({ length: 3 }, () => ({ firstReason: 'invalid JSON: old', changed: true })),
    );
  });

  describe('on the Snowflake emulator', () => {
    let schema: string;
    const N = 500;
    beforeAll(async () => {
      schema = uniqueSchema('OPS');
      await seedWarehouse(
        await SnowflakeWarehouse.open(snowflakeTestConnection(schema), { tables: WAREHOUSE_TABLES }),
        oldDeadLetters(N, 'old-orders'),
      );
    }, 120_000);

    it('three replays at once, then one more: every now-valid record loads exactly once', async () => {
      const env = { ...snowflakeTestEnv(), SNOWFLAKE_SCHEMA: schema };
      // Three sessions creating their staging tables at once can collide in the emulator's catalog (000625): a passing
      // error, which a replay tries again (logged as a warning) instead of failing.
      const runs = await Promise.all([0, 1, 2].map(() => runCli(['dead-letters', 'replay', '--json', '--batch-size', '50'], env)));
      expect(
        runs.map((r) => r.code),
        runs.map((r) => r.stderr).join(''),
      ).toEqual([0, 0, 0]);
      const retries = runs.reduce((n, r) => n + (r.stderr.match(/trying it again/g)?.length ?? 0), 0);
      console.log(`three concurrent replays: ${retries} batch retries after a passing warehouse error`);
      const loaded = runs.reduce((n, r) => n + json<{ loaded: number }>(r.stdout).loaded, 0);
      expect(loaded).toBe(N);
      const again = await runCli(['dead-letters', 'replay', '--json'], env);
      expect(json(again.stdout)).toMatchObject({ loaded: 0, stillDead: 3 });
      const warehouse = await SnowflakeWarehouse.open(snowflakeTestConnection(schema), { tables: WAREHOUSE_TABLES });
      try {
        const [r] = await warehouse.query(
          `SELECT COUNT(*) AS N, COUNT(DISTINCT EVENT_ID) AS D FROM ${warehouse.table('STREAMING_ORDERS')}`,
        );
        expect([Number(r!.N), Number(r!.D)]).toEqual([N, N]);
      } finally {
        await warehouse.close();
      }
      const list = await runCli(['dead-letters', 'list', '--json'], env);
      expect(json<{ byState: unknown }>(list.stdout).byState).toEqual({ pending: 0, loaded: N, dead: 3 });
    });

    it('status: stored positions, committed offsets and lag of a group loading into Snowflake, caught up, stopped while the producer goes on, caught up again', async () => {
      const topic = await topicWithDeadLetters(200);
      const group = `g-${topic}`;
      const env = { ...snowflakeTestEnv(), SNOWFLAKE_SCHEMA: schema, KAFKA_BOOTSTRAP: kafkaBootstrap() };
      const consumed = await runCli(['consume', '--topic', topic, '--group', group, '--exit-when-idle', '3000'], env);
      expect(consumed.code, consumed.stderr.slice(-1000)).toBe(0);
      const status = await runCli(['status', '--json', '--topic', topic, '--group', group], env);
      expect(status.code, status.stderr).toBe(0);
      type Report = {
        partitions: { lag: number; stored: number; committed: number; endOffset: number; owner: string | null }[];
        totals: { lag: number; warehouseLag: number };
      };
      const report = json<Report>(status.stdout);
      expect(report.partitions).toHaveLength(3);
      expect(report.partitions.reduce((n, p) => n + p.endOffset, 0)).toBe(203);
      for (const p of report.partitions) expect(p).toMatchObject({ lag: 0, stored: p.endOffset, committed: p.endOffset, owner: null });

      // The consumer is stopped and the producer goes on: the lag shows on both sides, per partition.
      const more = await runCli(['produce', '--count', '120', '--topic', topic], env);
      expect(more.code, more.stderr).toBe(0);
      const behind = json<Report>((await runCli(['status', '--json', '--topic', topic, '--group', group], env)).stdout);
      expect(behind.totals).toEqual({ lag: 120, warehouseLag: 120 });
      for (const p of behind.partitions) expect(p.lag).toBe(p.endOffset - p.stored);

      // It catches up.
      const again = await runCli(['consume', '--topic', topic, '--group', group, '--exit-when-idle', '3000'], env);
      expect(again.code, again.stderr.slice(-1000)).toBe(0);
      const caughtUp = json<Report>((await runCli(['status', '--json', '--topic', topic, '--group', group], env)).stdout);
      expect(caughtUp.totals).toEqual({ lag: 0, warehouseLag: 0 });
      expect(caughtUp.partitions.reduce((n, p) => n + p.stored, 0)).toBe(323);
    });
  });

  it('from the <topic>.dlq topic: list, and replay exactly once into the warehouse', async () => {
    const topic = await topicWithDeadLetters(50);
    const file = join(dir, 'dlq.duckdb');
    const env = { KAFKA_BOOTSTRAP: kafkaBootstrap() };
    const consumed = await runCli(
      ['consume', '--topic', topic, '--group', `g-${topic}`, '--warehouse', file, '--exit-when-idle', '3000'],
      env,
    );
    expect(consumed.code, consumed.stderr.slice(-1000)).toBe(0);
    // One more as 0.1.0 would have sent it to the DLQ: a valid event (today) with its reason and position in headers.
    const producer = testKafka().producer();
    await producer.connect();
    const event = new OrderEventGenerator({ seed: 8 }).draw()!;
    await producer.send({
      topic: `${topic}.dlq`,
      messages: [
        {
          value: JSON.stringify({ ...event, brand: 'Hoka' }),
          headers: {
            'sneakpipe.dlq.reason': 'schema: brand: unknown brand "Hoka"',
            'sneakpipe.dlq.source.topic': topic,
            'sneakpipe.dlq.source.partition': '0',
            'sneakpipe.dlq.source.offset': '999999',
            'sneakpipe.dlq.failed_at': '2025-01-01T00:00:00.000Z',
          },
        },
      ],
    });
    await producer.disconnect();
    const list = await runCli(['dead-letters', 'list', '--source', 'kafka', '--topic', topic, '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    expect(json<{ total: number }>(list.stdout).total).toBe(4);
    for (let i = 0; i < 2; i++) {
      const replay = await runCli(['dead-letters', 'replay', '--source', 'kafka', '--topic', topic, '--json', '--warehouse', file], env);
      expect(replay.code, replay.stderr).toBe(0);
      expect(json(replay.stdout)).toMatchObject({ loaded: i === 0 ? 1 : 0, stillDead: 3 });
    }
    expect(
      await count(file, `SELECT COUNT(*) FROM STG.STREAMING_ORDERS WHERE EVENT_ID = '${event.event_id}' AND KAFKA_OFFSET = 999999`),
    ).toBe(1);
    expect(await count(file, 'SELECT COUNT(*) FROM STG.STREAMING_ORDERS')).toBe(51);
  });
});
