import { describe, expect, it } from 'vitest';
import { runCli } from '@sneakpipe/test-support/cli';
import { kafkaBootstrap, testKafka, uniqueTopic } from '@sneakpipe/test-support/kafka';
import { queryEmulatorFile, snowflakeStreamingTestEnv, snowflakeTestEnv, uniqueSchema } from '@sneakpipe/test-support/snowflake';

// Both load methods: transactions on the warehouse, and Snowpipe Streaming through the test server that speaks its REST API.
describe.for([
  ['transactional', snowflakeTestEnv],
  ['streaming', snowflakeStreamingTestEnv],
] as const)('Kafka → sneakpipe consume → Snowflake (emulator), configured by environment alone, load method %s', ([method, methodEnv]) => {
  it('loads every event once, and a replay of the whole topic adds nothing', async () => {
    const topic = uniqueTopic('sf');
    const schema = uniqueSchema('E2E');
    const env = { KAFKA_BOOTSTRAP: kafkaBootstrap(), KAFKA_TOPIC_NAME: topic, ...methodEnv(), SNOWFLAKE_SCHEMA: schema };
    const produced = await runCli(['produce', '--count', '1500', '--seed', '21'], env);
    expect(produced.code, produced.stderr).toBe(0);
    const consumed = await runCli(['consume', '--group', `g-${topic}`, '--batch-size', '1000', '--exit-when-idle', '3000'], env);
    expect(consumed.code, consumed.stderr).toBe(0);
    expect(consumed.stderr).toMatch(/"warehouse":"snowflake:emulator\/RETAIL_LAB\./);
    if (method === 'streaming') expect(consumed.stderr).toMatch(/Snowpipe Streaming/);
    expect(consumed.stdout).toMatch(/loaded 1,500 events and 0 dead letters/);
    const [[rows, distinct]] = queryEmulatorFile(
      'RETAIL_LAB',
      `SELECT COUNT(*), COUNT(DISTINCT EVENT_ID) FROM ${schema}.STREAMING_ORDERS`,
    ) as [[number, number]];
    expect(rows).toBe(1500);
    expect(distinct).toBe(1500);
    // Replaying the whole topic (the group's offsets back to the start) adds nothing: the positions stored with the rows say it is loaded.
    const admin = testKafka().admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: `g-${topic}`, topic, earliest: true });
    await admin.disconnect();
    const replay = await runCli(['consume', '--group', `g-${topic}`, '--batch-size', '1000', '--exit-when-idle', '3000'], env);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stderr).toMatch(/"skipped":1500[,}].*consumer finished/);
    const [[after]] = queryEmulatorFile('RETAIL_LAB', `SELECT COUNT(*) FROM ${schema}.STREAMING_ORDERS`) as [[number]];
    expect(after).toBe(1500);
  });
});
