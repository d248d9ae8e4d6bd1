// End-to-end latency at a fixed 1,000 events/s with the
// consumer's maxWaitMs = 1,000: from each event's timestamp (set when it is
// generated) to the moment its batch is committed in DuckDB (the row is
// visible). Through the in-process broker, and through the real Kafka broker
// with each client when one is running (npm run infra:up). Reproduce:
//   npm run build && node bench/latency.mjs [--seconds 30] [--rate 1000] [--runs 1]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryBroker } from '@sneakpipe/core';
import { WAREHOUSE_TABLES, eventTimeMs, orderEventSink, runConsumer, runProducer } from '@sneakpipe/sneakers';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { KAFKA_CLIENTS, openKafkaClient } from '@sneakpipe/connectors/kafka';
import { fmt, intArg, kafkaBootstrap, machine, median } from './lib.mjs';

const seconds = intArg('seconds', 30);
const runs = intArg('runs', 1);
const rate = intArg('rate', 1_000);
const maxWaitMs = 1_000;
/** The target: p99 at 1,000 events/s with maxWaitMs 1 s stays within 1.1 s. */
const TARGET_P99_MS = 1_100;
const bootstrap = kafkaBootstrap({ optional: true });

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** Resolves once a Kafka source has joined its group and holds partitions (the in-process consumer at once). */
async function untilAssigned(source, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while ('healthy' in source && !(source.healthy && source.partitions.length > 0)) {
    if (Date.now() > deadline) throw new Error(`the consumer held no partitions after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs producer and consumer side by side for `seconds`; returns every event's latency, ms. */
async function measure({ producerSink, source }) {
  const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-latency-'));
  const warehouse = await DuckDbWarehouse.open({ path: join(dir, 'w.duckdb') }, { tables: WAREHOUSE_TABLES });
  const latencies = [];
  try {
    const consuming = runConsumer({
      source,
      sink: orderEventSink({ warehouse, group: 'latency-bench' }),
      batch: { maxCount: 5_000, maxWaitMs },
      progressEveryMs: 0,
      onBatch: (batch) => {
        const visible = Date.now();
        for (const item of batch.items) if (item.ok) latencies.push(visible - eventTimeMs(item.value.timestamp));
      },
    });
    // A running service's latency, not its start-up: produce once the consumer holds its partitions
    // (a new group waits out the broker's group.initial.rebalance.delay.ms, 3 s by default).
    await untilAssigned(source);
    await runProducer({ sink: producerSink, count: rate * seconds, rate, seed: 3 });
    // Let the last batch's wait run out, then stop.
    await new Promise((r) => setTimeout(r, maxWaitMs + 2_000));
    await source.stop();
    await consuming;
  } finally {
    await warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return latencies.sort((a, b) => a - b);
}

function print(name, latencies) {
  const q = (x) => fmt(quantile(latencies, x));
  const p99 = quantile(latencies, 0.99);
  console.log(
    `${name.padEnd(34)} ${fmt(latencies.length).padStart(7)} events  p50 ${q(0.5).padStart(5)} ms  p99 ${q(0.99).padStart(5)} ms  max ${q(1).padStart(5)} ms  (target p99 ≤ ${fmt(TARGET_P99_MS)} ms: ${p99 <= TARGET_P99_MS ? 'met' : 'missed'})`,
  );
}

console.log(
  `# Latency at ${fmt(rate)} events/s for ${seconds} s, consumer maxWaitMs ${fmt(maxWaitMs)}: event timestamp → batch committed in DuckDB`,
);
console.log(`# ${machine()}`);
const results = new Map();
const record = (name, latencies) => {
  print(name, latencies);
  results.set(name, [...(results.get(name) ?? []), latencies]);
};
for (let r = 0; r < runs; r++) {
  if (runs > 1) console.log(`run ${r + 1}:`);
  {
    const broker = new InMemoryBroker();
    broker.createTopic('latency', 3);
    const consumer = broker.consumer({ groupId: 'latency', topic: 'latency' });
    record('in-process broker', await measure({ producerSink: broker.producer('latency'), source: consumer }));
  }
  if (!bootstrap) {
    console.log('(no Kafka broker: run `npm run infra:up` to measure through Kafka too)');
    continue;
  }
  for (const name of KAFKA_CLIENTS) {
    const kafka = await openKafkaClient(name, { brokers: [bootstrap] });
    const topic = `bench-latency-${name}-${Date.now()}`;
    const producerSink = await kafka.topicSink({ topic });
    const source = kafka.source({ topic, groupId: `g-${topic}` });
    const latencies = await measure({ producerSink, source });
    await producerSink.close();
    await source.close();
    record(`Kafka 4.1.1 (${name})`, latencies);
  }
}
if (runs > 1) {
  console.log(`median of ${runs} runs:`);
  for (const [name, all] of results) {
    const at = (q) => median(all.map((l) => quantile(l, q)));
    console.log(
      `${name.padEnd(34)} p50 ${fmt(at(0.5)).padStart(5)} ms  p99 ${fmt(at(0.99)).padStart(5)} ms  (target p99 ≤ ${fmt(TARGET_P99_MS)} ms: ${at(0.99) <= TARGET_P99_MS ? 'met' : 'missed'})`,
    );
  }
}
