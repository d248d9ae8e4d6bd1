import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/cli.js';
import { kafkaBootstrap, uniqueTopic } from '../test-support/kafka.js';
import { describeSinkContract } from '../test-support/sink-contract.js';
import { queryEmulatorFile, snowflakeTestConnection, uniqueSchema } from '../test-support/snowflake.js';
import { FLASH_SALE, flashSaleToDuckDb } from './custom-generator-to-duckdb.js';
import { runWithVipTagging } from './custom-operator.js';
import { JsonLinesSink } from './custom-sink.js';
import { kafkaToSnowflake } from './kafka-to-snowflake.js';

const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('examples', () => {
  it('custom generator → DuckDB: only the flash-sale colourways, every event loaded', async () => {
    const counts = await flashSaleToDuckDb(join(dir, 'flash.duckdb'), 3_000);
    expect(Object.keys(counts).sort()).toEqual([...FLASH_SALE.colors].sort());
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(3_000);
  });

  it('custom operator: every order of 300 € or more is tagged VIP, and only those', async () => {
    const r = await runWithVipTagging(join(dir, 'vip.duckdb'));
    expect(r.rows).toBe(3_000);
    expect(r.vip).toBeGreaterThan(0);
    expect(r.vip).toBe(r.bigOrders);
  });

  it('Kafka → Snowflake with the library API: every produced event lands in Snowflake (emulator)', async () => {
    const topic = uniqueTopic('example-sf');
    const schema = uniqueSchema('EXAMPLE');
    const produced = await runCli(['produce', '--count', '400', '--topic', topic], { KAFKA_BOOTSTRAP: kafkaBootstrap() });
    expect(produced.code, produced.stderr).toBe(0);
    const loaded = await kafkaToSnowflake({
      brokers: [kafkaBootstrap()],
      topic,
      groupId: `g-${topic}`,
      snowflake: snowflakeTestConnection(schema),
      idleMs: 4_000,
    });
    expect(loaded).toBe(400);
    const [[rows]] = queryEmulatorFile('RETAIL_LAB', `SELECT COUNT(DISTINCT EVENT_ID) FROM ${schema}.STREAMING_ORDERS`) as [[number]];
    expect(rows).toBe(400);
  }, 120_000);
});

let n = 0;
describeSinkContract('JsonLinesSink (examples/custom-sink.ts)', async (storage) => {
  const base = storage ?? join(dir, `sink-${n++}`);
  const events = `${base}.jsonl`;
  const dead = `${base}.dead.jsonl`;
  const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
  return {
    storage: base,
    sink: new JsonLinesSink(events, dead),
    readEvents: async () => read(events).map((l) => (JSON.parse(l) as { id: string }).id),
    readDeadLetters: async () => read(dead),
  };
});
