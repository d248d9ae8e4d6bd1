import { expect, it, onTestFinished } from 'vitest';
import { startCli } from '@sneakpipe/test-support/cli';
import { peakMb, report, sampler, startWarehouseEndpoint, stopWarehouseEndpoint } from '@sneakpipe/test-support/faults';
import { kafkaBootstrap, testKafka, uniqueTopic } from '@sneakpipe/test-support/kafka';
import { parseExposition, sumSamples } from '@sneakpipe/test-support/prometheus';
import { queryEmulatorFile, snowflakeTestEnv, uniqueSchema } from '@sneakpipe/test-support/snowflake';
import { waitUntil } from '@sneakpipe/test-support/wait';

const BATCH = 200;
/** Records in flight at which the consumer pauses fetching (`consume`: four batches). */
const HIGH_WATER = 4 * BATCH;
/**
 * Records in flight at which a paused consumer fetches again (half the window). A consumer that paused before the
 * endpoint went down, and then loaded a batch, stays paused anywhere between the two.
 */
const LOW_WATER = HIGH_WATER / 2;
/** Records that wait in the topic, unfetched, before the paused fetching counts as seen. */
const WAITING = 400;
/** Failed attempts seen before the endpoint comes back: from 0.1 s doubling, the sixth delay is at least 16 times the first. */
const RETRIES = 6;

/** The retry lines of failed warehouse loads the consumer logged at or after `since` (pino's JSON lines). */
function loadRetries(stderr: string, since: number): { attempt: number; retryInMs: number }[] {
  const retries: { attempt: number; retryInMs: number }[] = [];
  for (const line of stderr.split('\n')) {
    if (!line.includes('warehouse load failed, retrying in')) continue;
    const entry = JSON.parse(line) as { time: number; attempt: number; retryInMs: number };
    if (entry.time >= since) retries.push({ attempt: entry.attempt, retryInMs: entry.retryInMs });
  }
  return retries;
}

/** Records in the topic: the sum of its partitions' end offsets. */
async function topicEnd(topic: string): Promise<number> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

it('warehouse outage: the consumer retries with growing delays, stops fetching while records wait, resumes and loses nothing', async () => {
  const topic = uniqueTopic('outage');
  const schema = uniqueSchema('OUTAGE');
  const env = {
    KAFKA_BOOTSTRAP: kafkaBootstrap(),
    KAFKA_TOPIC_NAME: topic,
    ...snowflakeTestEnv(),
    SNOWFLAKE_SCHEMA: schema,
    SNEAKPIPE_LOG_LEVEL: 'debug',
  };
  const events = 4_000;
  const producer = startCli(['produce', '--count', String(events), '--rate', '100', '--seed', '12'], env);
  const consumer = startCli(
    [
      'consume',
      '--group',
      `g-${topic}`,
      '--batch-size',
      String(BATCH),
      '--batch-wait-ms',
      '500',
      '--exit-when-idle',
      '5000',
      '--load-timeout-ms',
      '5000',
    ],
    env,
  );
  let endpointDown = false;
  const port = Number((await consumer.waitFor(/metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/))[1]);
  const scrape = async () => parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).samples;
  const metric = async (name: string) => sumSamples(await scrape(), name);
  const rss = sampler(async () => (await scrape()).get('process_resident_memory_bytes'));
  onTestFinished(async () => {
    rss.stop();
    for (const cli of [producer, consumer]) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    // Back even when the case failed, and loudly if it cannot be: the next fault case needs the endpoint.
    if (endpointDown) await startWarehouseEndpoint();
  });
  const lastLines = () =>
    consumer
      .stderr()
      .split('\n')
      .filter((l) => l && !l.includes('"level":20'))
      .slice(-8)
      .map((l) => l.slice(0, 300))
      .join('\n');

  await consumer.waitFor(/batch loaded/, 120_000);
  stopWarehouseEndpoint();
  endpointDown = true;
  const downAt = Date.now();
  const retries = () => loadRetries(consumer.stderr(), downAt);

  // Fetching stops: the flow window held in flight (nothing of it loads), while the topic fills up behind it. Records
  // wait only if fetching stopped: a consumer that fetched would take them as fast as they are produced.
  let seen = { consumed: 0, loaded: 0, inTopic: 0 };
  const probe = async () =>
    (seen = {
      consumed: await metric('sneaker_orders_consumed_total'),
      loaded: await metric('sneaker_orders_loaded_snowflake_total'),
      inTopic: await topicEnd(topic),
    });
  await waitUntil(
    `more than ${LOW_WATER} records in flight and ${WAITING} more waiting in the topic, unfetched`,
    async () => {
      const s = await probe();
      return s.consumed - s.loaded > LOW_WATER && s.inTopic - s.consumed >= WAITING ? s : undefined;
    },
    { timeoutMs: 120_000, everyMs: 500, seen: () => ({ ...seen, lastLines: lastLines() }) },
  );
  const retried = await waitUntil(`${RETRIES} retries of the failed load`, () => (retries().length >= RETRIES ? retries() : undefined), {
    timeoutMs: 120_000,
    everyMs: 250,
    seen: () => ({ retries: retries(), lastLines: lastLines() }),
  });
  const atRestore = await probe();
  const errorsDuringOutage = await metric('sneaker_load_errors_total');
  const readyDuringOutage = (await fetch(`http://127.0.0.1:${port}/readyz`)).status;
  const batchesLoaded = () => (consumer.stderr().match(/batch loaded/g) ?? []).length;
  const loadedBefore = batchesLoaded();

  await startWarehouseEndpoint();
  endpointDown = false;
  const upAt = Date.now();
  await waitUntil('a batch loaded after the endpoint came back', () => (batchesLoaded() > loadedBefore ? true : undefined), {
    timeoutMs: 90_000,
    everyMs: 250,
    seen: lastLines,
  });
  const recovered = (Date.now() - upAt) / 1000;
  const [p, c] = await Promise.all([producer.done, consumer.done]);
  const samples = rss.stop();
  const [[rows, distinct, positions]] = queryEmulatorFile(
    'RETAIL_LAB',
    `SELECT COUNT(*), COUNT(DISTINCT EVENT_ID), COUNT(DISTINCT KAFKA_PARTITION || ':' || KAFKA_OFFSET) FROM ${schema}.STREAMING_ORDERS`,
  ) as [[number, number, number]];
  const delays = retried.map((r) => r.retryInMs);
  // What was measured, printed whether or not the asserts below pass.
  report({
    case: 'warehouse outage (Snowflake emulator endpoint down)',
    events,
    faults: `endpoint down ${((upAt - downAt) / 1000).toFixed(1)} s; ${errorsDuringOutage} failed load attempts, delays ${delays.map((d) => (d / 1000).toFixed(1)).join('/')} s; fetching paused at ${atRestore.consumed - atRestore.loaded} in flight with ${atRestore.inTopic - atRestore.consumed} waiting`,
    lost: events - distinct,
    duplicated: rows - distinct,
    peakRssMb: peakMb(samples),
    recoverSeconds: recovered.toFixed(1),
  });

  expect(p.code, p.stderr.slice(-1500)).toBe(0);
  expect(c.code, c.stderr.slice(-1500)).toBe(0);
  // Backoff: one batch retried, attempts 1, 2, 3, ..., each delay at least the one before, the sixth at least 8 times the first.
  expect(retried.map((r) => r.attempt)).toEqual(retried.map((_, i) => i + 1));
  for (let i = 1; i < RETRIES; i++) expect(delays[i], `delays ${delays.join(', ')} ms`).toBeGreaterThanOrEqual(delays[i - 1]!);
  expect(delays[RETRIES - 1], `delays ${delays.join(', ')} ms`).toBeGreaterThanOrEqual(8 * delays[0]!);
  expect(errorsDuringOutage).toBeGreaterThanOrEqual(retried.length);
  expect(readyDuringOutage).toBe(503);
  // Paused fetching: by the end of the outage no more than the flow window (plus a batch of slack) was taken, records waited.
  expect(atRestore.consumed - atRestore.loaded, JSON.stringify(atRestore)).toBeGreaterThan(LOW_WATER);
  expect(atRestore.consumed - atRestore.loaded, JSON.stringify(atRestore)).toBeLessThanOrEqual(HIGH_WATER + BATCH);
  expect(atRestore.inTopic - atRestore.consumed, JSON.stringify(atRestore)).toBeGreaterThanOrEqual(WAITING);
  expect(samples.values.length, `RSS samples; failed probes: ${samples.failures.slice(0, 3).join('; ')}`).toBeGreaterThan(0);
  expect({ rows, distinct, positions }).toEqual({ rows: events, distinct: events, positions: events });
});
