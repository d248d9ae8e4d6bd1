import { expect, it } from 'vitest';
import { startCli } from '../test-support/cli.js';
import { report, sampler, startWarehouseEndpoint, stopWarehouseEndpoint } from '../test-support/faults.js';
import { kafkaBootstrap, uniqueTopic } from '../test-support/kafka.js';
import { parseExposition, sumSamples } from '../test-support/prometheus.js';
import { queryEmulatorFile, snowflakeTestEnv, uniqueSchema } from '../test-support/snowflake.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('warehouse outage of 20 s: the consumer retries with backoff, stops fetching, resumes and loses nothing', async () => {
  const topic = uniqueTopic('outage');
  const schema = uniqueSchema('OUTAGE');
  const env = {
    KAFKA_BOOTSTRAP: kafkaBootstrap(),
    KAFKA_TOPIC_NAME: topic,
    ...snowflakeTestEnv(),
    SNOWFLAKE_SCHEMA: schema,
    SNEAKPIPE_LOG_LEVEL: 'debug',
  };
  const events = 3_000;
  const producer = startCli(['produce', '--count', String(events), '--rate', '100', '--seed', '12'], env);
  const consumer = startCli(
    [
      'consume',
      '--group',
      `g-${topic}`,
      '--batch-size',
      '200',
      '--batch-wait-ms',
      '500',
      '--exit-when-idle',
      '5000',
      '--load-timeout-ms',
      '5000',
    ],
    env,
  );
  const port = Number((await consumer.waitFor(/metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/))[1]);
  const scrape = async () => parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).samples;
  const rss = sampler(async () => sumSamples(await scrape(), 'process_resident_memory_bytes'));
  let restored = false;
  try {
    await consumer.waitFor(/batch loaded/, 120_000);
    stopWarehouseEndpoint();
    const downAt = Date.now();
    await sleep(20_000);
    const errorsDuringOutage = sumSamples(await scrape(), 'sneaker_load_errors_total');
    const readyDuringOutage = (await fetch(`http://127.0.0.1:${port}/readyz`)).status;
    await startWarehouseEndpoint();
    restored = true;
    const upAt = Date.now();
    const loadedBefore = (consumer.stderr().match(/batch loaded/g) ?? []).length;
    while ((consumer.stderr().match(/batch loaded/g) ?? []).length <= loadedBefore) await sleep(250);
    const recovered = (Date.now() - upAt) / 1000;
    const [p, c] = await Promise.all([producer.done, consumer.done]);
    expect(p.code, p.stderr.slice(-1500)).toBe(0);
    expect(c.code, c.stderr.slice(-1500)).toBe(0);
    expect(errorsDuringOutage).toBeGreaterThan(0);
    expect(readyDuringOutage).toBe(503);
    expect(c.stderr).toMatch(/warehouse load failed, retrying/);
    const [[rows, distinct]] = queryEmulatorFile(
      'RETAIL_LAB',
      `SELECT COUNT(*), COUNT(DISTINCT EVENT_ID) FROM ${schema}.STREAMING_ORDERS`,
    ) as [[number, number]];
    expect(distinct).toBe(events);
    expect(rows).toBe(events);
    const samples = rss.stop();
    report({
      case: 'warehouse outage (Snowflake emulator endpoint down)',
      events,
      faults: `endpoint down ${((upAt - downAt) / 1000).toFixed(1)} s; ${errorsDuringOutage} failed load attempts`,
      lost: events - distinct,
      duplicated: rows - distinct,
      peakRssMb: Math.round(Math.max(...samples) / 2 ** 20),
      recoverSeconds: recovered.toFixed(1),
    });
  } finally {
    rss.stop();
    if (!restored) await startWarehouseEndpoint().catch(() => undefined);
    for (const cli of [producer, consumer]) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
  }
});
