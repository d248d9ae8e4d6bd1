import { describe, expect, it } from 'vitest';
import { runCli } from '@sneakpipe/test-support/cli';
import { kafkaBootstrap, uniqueTopic } from '@sneakpipe/test-support/kafka';
import {
  queryEmulatorFile,
  snowflakeStreamingTestConnection,
  snowflakeTestConnection,
  uniqueSchema,
} from '@sneakpipe/test-support/snowflake';
import { kafkaToSnowflake } from './kafka-to-snowflake.js';

// Needs the real broker and the Snowflake emulator (npm run infra:up); the other examples need neither.
describe('examples (real broker and Snowflake emulator)', () => {
  it.for([
    ['transactional', snowflakeTestConnection],
    ['streaming', snowflakeStreamingTestConnection],
  ] as const)(
    'Kafka → Snowflake with the library API, load method %s: every produced event lands in Snowflake (emulator)',
    { timeout: 120_000 },
    async ([, connection]) => {
      const topic = uniqueTopic('example-sf');
      const schema = uniqueSchema('EXAMPLE');
      const produced = await runCli(['produce', '--count', '400', '--topic', topic], { KAFKA_BOOTSTRAP: kafkaBootstrap() });
      expect(produced.code, produced.stderr).toBe(0);
      const loaded = await kafkaToSnowflake({
        brokers: [kafkaBootstrap()],
        topic,
        groupId: `g-${topic}`,
        snowflake: connection(schema),
        idleMs: 4_000,
      });
      expect(loaded).toBe(400);
      const [[rows]] = queryEmulatorFile('RETAIL_LAB', `SELECT COUNT(DISTINCT EVENT_ID) FROM ${schema}.STREAMING_ORDERS`) as [[number]];
      expect(rows).toBe(400);
    },
  );
});
