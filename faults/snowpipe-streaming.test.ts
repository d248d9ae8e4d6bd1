import { afterEach, describe, expect, it } from 'vitest';
import { OrderEventGenerator } from '@sneakpipe/sneakers';
import { runCli, startCli } from '@sneakpipe/test-support/cli';
import { report } from '@sneakpipe/test-support/faults';
import { committedTotal, kafkaBootstrap, publishEvents, uniqueTopic } from '@sneakpipe/test-support/kafka';
import {
  queryEmulatorFile,
  snowflakeStreamingTestEnv,
  streamingFaults,
  streamingServerState,
  uniqueSchema,
} from '@sneakpipe/test-support/snowflake';

/*
 * Snowpipe Streaming under faults, against the test server that speaks its REST API and lands rows in the emulator:
 * SIGKILLs mid-drain, a second member taking partitions over (its channels' reopening fences the first), appends whose
 * answers are lost, the endpoint answering 429/503 for a while, and scoped tokens that expire mid-run. Each case loads
 * a topic of its own into a schema of its own and checks that every event is in STREAMING_ORDERS once.
 */

const generator = new OrderEventGenerator({ seed: 30, start: Date.UTC(2025, 0, 1) });

/** A topic of 3 partitions holding `events` valid order events. */
async function topicWith(events: number): Promise<string> {
  const topic = uniqueTopic('sps');
  await publishEvents(
    topic,
    Array.from({ length: events }, () => generator.draw()!),
  );
  return topic;
}

/** Rows and distinct event ids in the schema's STREAMING_ORDERS (0, 0 before the consumer created it). */
function stored(schema: string): { rows: number; distinct: number } {
  const [[tables]] = queryEmulatorFile(
    'RETAIL_LAB',
    `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '${schema}' AND table_name = 'STREAMING_ORDERS'`,
  ) as [[number]];
  if (Number(tables) === 0) return { rows: 0, distinct: 0 };
  const [[rows, distinct]] = queryEmulatorFile(
    'RETAIL_LAB',
    `SELECT COUNT(*), COUNT(DISTINCT EVENT_ID) FROM ${schema}.STREAMING_ORDERS`,
  ) as [[number, number]];
  return { rows: Number(rows), distinct: Number(distinct) };
}

/** The highest position STREAMED_POSITIONS records per partition, summed: what the streaming method says it loaded. */
function streamedTotal(schema: string, group: string): number {
  const rows = queryEmulatorFile(
    'RETAIL_LAB',
    `SELECT "PARTITION", MAX(NEXT_OFFSET) FROM ${schema}.STREAMED_POSITIONS WHERE CONSUMER_GROUP = '${group}' GROUP BY 1`,
  ) as [number, number][];
  return rows.reduce((n, [, next]) => n + Number(next), 0);
}

function setup(name: string) {
  const schema = uniqueSchema(`SPS_${name}`);
  const args = (group: string) => ['consume', '--group', group, '--batch-size', '300', '--batch-wait-ms', '100', '--metrics-port', '0'];
  const env = (topic: string) => ({
    KAFKA_BOOTSTRAP: kafkaBootstrap(),
    KAFKA_TOPIC_NAME: topic,
    ...snowflakeStreamingTestEnv(),
    SNOWFLAKE_SCHEMA: schema,
  });
  return { schema, args, env };
}

/** Waits until the schema's STREAMING_ORDERS holds more than `rows` rows. */
async function rowsAbove(schema: string, rows: number, timeoutMs = 120_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = stored(schema).rows;
    if (now > rows) return now;
    if (Date.now() > deadline) throw new Error(`no row loaded beyond ${rows} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const peakRss = (stderr: string) => Math.round(Number(/"peakRss":(\d+)/.exec(stderr)?.[1] ?? 0) / 2 ** 20) || 'n/a';

describe('Snowpipe Streaming load method under faults', () => {
  afterEach(async () => streamingFaults({ reset: true }));

  it('SIGKILL mid-drain, four times: every event once, and the positions and Kafka offsets at the end', async () => {
    const EVENTS = 6_000;
    const topic = await topicWith(EVENTS);
    const { schema, args, env } = setup('KILL');
    const group = `g-${topic}`;
    const afterKill: number[] = [];
    for (let kill = 0; kill < 4; kill++) {
      const consumer = startCli(args(group), env(topic));
      await rowsAbove(schema, stored(schema).rows);
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 800));
      consumer.child.kill('SIGKILL');
      await consumer.done;
      afterKill.push(stored(schema).rows);
    }
    const restarted = Date.now();
    const last = await runCli([...args(group), '--exit-when-idle', '3000'], env(topic));
    const recovered = (Date.now() - restarted) / 1000;
    const { rows, distinct } = stored(schema);
    report({
      case: 'Snowpipe Streaming: SIGKILL mid-drain',
      events: EVENTS,
      faults: `4 SIGKILLs (rows after each: ${afterKill.join('/')})`,
      lost: EVENTS - distinct,
      duplicated: rows - distinct,
      peakRssMb: peakRss(last.stderr),
      recoverSeconds: recovered.toFixed(1),
    });
    expect(last.code, last.stderr).toBe(0);
    expect(afterKill.some((n) => n > 0 && n < EVENTS)).toBe(true);
    expect([rows, distinct]).toEqual([EVENTS, EVENTS]);
    expect(streamedTotal(schema, group)).toBe(EVENTS);
    expect(await committedTotal(group, topic)).toBe(EVENTS);
  }, 600_000);

  it('a second member takes partitions over mid-drain (its reopening fences the first): every event once', async () => {
    const EVENTS = 6_000;
    const topic = await topicWith(EVENTS);
    const { schema, args, env } = setup('REBALANCE');
    const group = `g-${topic}`;
    const first = startCli([...args(group), '--exit-when-idle', '5000'], env(topic));
    await rowsAbove(schema, 0);
    const second = startCli([...args(group), '--exit-when-idle', '5000'], env(topic));
    const [a, b] = await Promise.all([first.done, second.done]);
    const { rows, distinct } = stored(schema);
    const state = await streamingServerState();
    const fenced = Number((state.counters as { requests: Record<string, number> }).requests['append 400'] ?? 0);
    report({
      case: 'Snowpipe Streaming: second member takes partitions over',
      events: EVENTS,
      faults: `a member joins mid-drain; appends refused as stale (server-wide so far): ${fenced}`,
      lost: EVENTS - distinct,
      duplicated: rows - distinct,
      peakRssMb: peakRss(b.stderr),
      recoverSeconds: 'n/a',
    });
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    expect([rows, distinct]).toEqual([EVENTS, EVENTS]);
    expect(streamedTotal(schema, group)).toBe(EVENTS);
  }, 600_000);

  it('appends whose answer is lost, the endpoint answering 429 and 503 for a while, tokens expiring mid-run: every event once', async () => {
    const EVENTS = 4_000;
    const topic = await topicWith(EVENTS);
    const { schema, args, env } = setup('FLAKY');
    const group = `g-${topic}`;
    const counted = async () => {
      const c = (await streamingServerState()).counters as { requests: Record<string, number> } & Record<string, number>;
      const expired = Object.entries(c.requests)
        .filter(([k]) => k.endsWith(' 401'))
        .reduce((n, [, v]) => n + v, 0);
      return { appendsDropped: c.appendsDropped, injectedFailures: c.faultsInjected, expiredTokens: expired } as Record<string, number>;
    };
    const before = await counted();
    await streamingFaults({ dropResponses: 3, tokenTtlMs: 1_500 });
    const consumer = startCli([...args(group), '--exit-when-idle', '5000'], env(topic));
    await rowsAbove(schema, 0);
    await streamingFaults({ fail: { status: 503, count: 15, on: 'any' } });
    await rowsAbove(schema, stored(schema).rows);
    await streamingFaults({ fail: { status: 429, count: 15, on: 'any' } });
    const last = await consumer.done;
    const after = await counted();
    const delta = (k: string) => Number(after[k] ?? 0) - Number(before[k] ?? 0);
    const { rows, distinct } = stored(schema);
    report({
      case: 'Snowpipe Streaming: lost answers, 429/503, expiring tokens',
      events: EVENTS,
      faults: `${delta('appendsDropped')} append answers dropped, ${delta('injectedFailures')} requests answered 429/503, ${delta('expiredTokens')} requests with an expired token`,
      lost: EVENTS - distinct,
      duplicated: rows - distinct,
      peakRssMb: peakRss(last.stderr),
      recoverSeconds: 'n/a',
    });
    expect(last.code, last.stderr).toBe(0);
    expect(delta('appendsDropped')).toBe(3);
    expect(delta('injectedFailures')).toBe(30);
    expect(delta('expiredTokens')).toBeGreaterThan(0);
    expect([rows, distinct]).toEqual([EVENTS, EVENTS]);
    expect(streamedTotal(schema, group)).toBe(EVENTS);
    expect(await committedTotal(group, topic)).toBe(EVENTS);
  }, 600_000);
});
