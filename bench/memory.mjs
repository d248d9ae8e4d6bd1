// Memory while draining a backlog: 1,000,000 events wait in a
// Kafka topic; a consumer drains them into a deliberately slow sink (at most
// 20,000 records/s: 500 ms per 10,000-record batch) with what `sneakpipe
// consume` does by default: its batch size (read from the CLI's --help),
// its backpressure (fetching pauses at 4 batches in flight), its fetch size
// and heap budget. Prints peak RSS and whether it stays flat, for each Kafka client,
// by default and with `--low-memory`, each in its own process. Needs the broker (npm run infra:up). Reproduce:
//   npm run build && npm run infra:up && node bench/memory.mjs [--events 1000000]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { DEFAULT_HEAP_BUDGET_MB, FlowControl, HeapBudget } from '@sneakpipe/core';
import { KAFKA_CLIENTS, openKafkaClient } from '@sneakpipe/connectors/kafka';
import { runConsumer } from '@sneakpipe/sneakers';
import { BIN_NODE_FLAGS, SNEAKPIPE_BIN, commandDefault, fmt, intArg, kafkaBootstrap, machine } from './lib.mjs';

const events = intArg('events', 1_000_000);
const bootstrap = kafkaBootstrap();
// The CLI's default, found by the parent (the child loads only what a consumer does) and passed on.
const BATCH = process.argv[2] === '--child' ? intArg('batch', 0) : commandDefault('consume', 'batch-size');
const SINK_MS_PER_BATCH = BATCH / 20; // 20,000 records/s
const mb = (bytes) => Math.round(bytes / 2 ** 20);

/** In a child process: drain the topic with one client, sampling RSS. Prints one JSON line. */
async function drain(client, topic) {
  const kafka = await openKafkaClient(client, { brokers: [bootstrap] });
  const flow = new FlowControl({ highWater: 4 * BATCH });
  const source = kafka.source({ topic, groupId: `g-${client}-${topic}-${process.pid}`, paused: flow.paused$ });
  const slowSink = { write: (batch) => new Promise((resolve) => setTimeout(resolve, SINK_MS_PER_BATCH * (batch.length / BATCH))) };
  const samples = [];
  const peaks = {};
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    for (const k of Object.keys(m)) peaks[k] = Math.max(peaks[k] ?? 0, mb(m[k]));
    samples.push(m.rss);
  }, 250);
  const started = Date.now();
  let loaded = 0;
  // What the CLI does between batches by default (--heap-budget).
  const heap = new HeapBudget({ budgetMb: DEFAULT_HEAP_BUDGET_MB });
  await runConsumer({
    source,
    flow,
    sink: slowSink,
    batch: { maxCount: BATCH, maxWaitMs: 1_000 },
    progressEveryMs: 0,
    onBatch: (b) => {
      loaded += b.items.length;
      heap.check();
      if (loaded >= events) void source.stop();
    },
  });
  clearInterval(sampler);
  await source.close();
  const seconds = (Date.now() - started) / 1000;
  // Flat: the second half of the run peaks no higher than the first half (+10 %).
  const half = samples.length >> 1;
  const firstHalf = Math.max(...samples.slice(0, half));
  const secondHalf = Math.max(...samples.slice(half));
  console.log(
    JSON.stringify({
      client,
      loaded,
      seconds,
      peakRssMb: mb(process.resourceUsage().maxRSS * 1024),
      firstHalfMb: mb(firstHalf),
      secondHalfMb: mb(secondHalf),
      maxInFlight: 4 * BATCH,
      peaks,
    }),
  );
}

if (process.argv[2] === '--child') {
  // What `--low-memory` does in the CLI: V8 collects garbage eagerly.
  if (process.argv[5] === 'low') setFlagsFromString('--optimize-for-size');
  await drain(process.argv[3], process.argv[4]);
  process.exit(0);
}

console.log(
  `# Memory: draining a backlog of ${fmt(events)} events into a sink taking ${SINK_MS_PER_BATCH} ms per ${fmt(BATCH)}-record batch`,
);
console.log(`# ${machine()}; broker Apache Kafka 4.1.1 at ${bootstrap}`);
const topic = `bench-memory-${Date.now()}`;
execFileSync(
  process.execPath,
  [SNEAKPIPE_BIN, 'produce', '--count', String(events), '--topic', topic, '--seed', '5'],
  {
    env: { ...process.env, KAFKA_BOOTSTRAP: bootstrap, SNEAKPIPE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
console.log(`backlog: ${fmt(events)} events in ${topic}`);
for (const [client, mode] of KAFKA_CLIENTS.flatMap((c) => [
  [c, 'default'],
  [c, 'low'],
])) {
  // The flag the `sneakpipe` bin and image give node on its command line, so "default" is what the CLI does; and
  // V8's gc() for the heap budget, which the CLI exposes for itself.
  const args = [
    ...BIN_NODE_FLAGS,
    '--expose-gc',
    new URL(import.meta.url).pathname,
    '--child',
    client,
    topic,
    mode,
    '--events',
    String(events),
    '--batch',
    String(BATCH),
  ];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8' });
  const r = JSON.parse(out.trim().split('\n').at(-1));
  const flat = r.secondHalfMb <= r.firstHalfMb * 1.1;
  console.log(
    `${`${client}${mode === 'low' ? ' --low-memory' : ''}`.padEnd(26)} drained ${fmt(r.loaded)} in ${r.seconds.toFixed(1)} s (${fmt(r.loaded / r.seconds)}/s); peak RSS ${r.peakRssMb} MB ` +
      `(first half ${r.firstHalfMb} MB, second half ${r.secondHalfMb} MB: ${flat ? 'flat' : 'growing'}); target ≤ 250 MB and flat: ${r.peakRssMb <= 250 && flat ? 'met' : 'missed'}`,
  );
}

// The consumer as users run it: the `sneakpipe` bin, the default client, into a DuckDB file (the warehouse's own
// memory included), draining the same backlog; peak RSS from its own "consumer finished" log line.
for (const mode of ['default', 'low']) {
  const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-memory-'));
  try {
    const args = [...BIN_NODE_FLAGS, SNEAKPIPE_BIN];
    const consume = ['consume', '--topic', topic, '--group', `g-cli-${mode}-${Date.now()}`, '--warehouse', join(dir, 'w.duckdb')];
    if (mode === 'low') consume.push('--low-memory');
    const started = Date.now();
    const run = spawnSync(process.execPath, [...args, ...consume, '--exit-when-idle', '5000', '--metrics-port', '0'], {
      encoding: 'utf8',
      env: { ...process.env, KAFKA_BOOTSTRAP: bootstrap, SNEAKPIPE_LOG_FORMAT: 'json' },
    });
    const finished = run.stderr.split('\n').find((l) => l.includes('consumer finished'));
    if (run.status !== 0 || !finished) throw new Error(`sneakpipe consume failed (${run.status}): ${run.stderr.slice(-400)}`);
    const { loaded, peakRss } = JSON.parse(finished);
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `${`sneakpipe consume → DuckDB${mode === 'low' ? ' --low-memory' : ''}`.padEnd(26)} drained ${fmt(loaded)} in ${seconds.toFixed(1)} s; peak RSS ${mb(peakRss)} MB`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
