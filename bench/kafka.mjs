// Producer and consumer throughput on the real broker, side by side with
// Kafka's own perf tools (same record size, acks=all, gzip), in the same run,
// with both Kafka client libraries (@platformatic/kafka and kafkajs).
// Needs the broker: npm run infra:up. Reproduce:
//   npm run build && npm run infra:up && node bench/kafka.mjs [--events 300000] [--runs 3]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrderEventGenerator, orderEventCodec } from '@sneakpipe/sneakers';
import { BIN_NODE_FLAGS, SNEAKPIPE_BIN, fmt, intArg, kafkaBootstrap, machine, median } from './lib.mjs';

const root = new URL('..', import.meta.url).pathname;
const events = intArg('events', 300_000);
const runs = intArg('runs', 3);
const bootstrap = kafkaBootstrap();
const libs = join(root, '.infra/kafka/libs/*');

// The size of our records, so Kafka's tool sends the same bytes.
const sample = new OrderEventGenerator({ seed: 1 });
let bytes = 0;
for (let i = 0; i < 10_000; i++) bytes += orderEventCodec.encode(sample.draw()).byteLength;
const recordSize = Math.round(bytes / 10_000);

const sh = (cmd, args, env = {}) =>
  execFileSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
const java = (main, args) => sh('java', ['-Xmx1g', '-cp', libs, main, ...args]);
const CLIENTS = ['platformatic', 'kafkajs'];
const sneakpipe = (args, client = CLIENTS[0]) =>
  sh(process.execPath, [...BIN_NODE_FLAGS, SNEAKPIPE_BIN, ...args], { KAFKA_BOOTSTRAP: bootstrap, SNEAKPIPE_LOG_LEVEL: 'warn', SNEAKPIPE_KAFKA_CLIENT: client });
const num = (s) => Number(s.replaceAll(',', ''));

function kafkaProducerPerf(topic) {
  sneakpipe(['produce', '--count', '1', '--topic', topic]); // create it like ours: 3 partitions
  const out = java('org.apache.kafka.tools.ProducerPerformance', [
    '--topic',
    topic,
    '--num-records',
    String(events),
    '--record-size',
    String(recordSize),
    '--throughput',
    '-1',
    '--producer-props',
    `bootstrap.servers=${bootstrap}`,
    'acks=all',
    'compression.type=gzip',
    'linger.ms=20',
    'enable.idempotence=true',
  ]);
  const m = /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\)/.exec(out.trim().split('\n').at(-1));
  return { rate: Number(m[2]), mb: Number(m[3]) };
}

function kafkaConsumerPerf(topic) {
  const out = java('org.apache.kafka.tools.ConsumerPerformance', [
    '--bootstrap-server',
    bootstrap,
    '--topic',
    topic,
    '--messages',
    String(events),
    '--group',
    `perf-${topic}`,
    '--timeout',
    '60000',
  ]);
  const row = out
    .trim()
    .split('\n')
    .at(-1)
    .split(',')
    .map((x) => x.trim());
  // fetch.MB.sec and fetch.nMsg.sec: the rate while fetching, without the group join (the broker holds a new group's
  // first JoinGroup for group.initial.rebalance.delay.ms, 3 s), as our consumer's "while busy" rate is.
  return { rate: Number(row[9]), mb: Number(row[8]) };
}

function ourProducer(topic, client) {
  const out = sneakpipe(['produce', '--count', String(events), '--topic', topic, '--seed', '1'], client);
  const rate = num(/\(([\d,]+) events\/s\)/.exec(out)[1]);
  return { rate, mb: (rate * recordSize) / 2 ** 20 };
}

function ourConsumer(topic, client) {
  const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-bench-'));
  try {
    const args = [
      'consume',
      '--topic',
      topic,
      '--group',
      `${client}-${topic}`,
      '--warehouse',
      join(dir, 'w.duckdb'),
      '--exit-when-idle',
      '2000',
    ];
    const out = sneakpipe(args, client);
    const rate = num(/([\d,]+) records\/s while busy/.exec(out)[1]);
    return { rate, mb: (rate * recordSize) / 2 ** 20 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`# Kafka throughput: ${fmt(events)} records of ~${recordSize} B, acks=all, gzip, idempotent; median of ${runs} runs`);
console.log(`# ${machine()}; broker Apache Kafka 4.1.1 (KRaft, single node) at ${bootstrap}`);
const results = {
  kp: [],
  kc: [],
  ...Object.fromEntries(
    CLIENTS.flatMap((c) => [
      [`op-${c}`, []],
      [`oc-${c}`, []],
    ]),
  ),
};
for (let r = 0; r < runs; r++) {
  const stamp = `${Date.now()}-${r}`;
  results.kp.push(kafkaProducerPerf(`bench-kafka-${stamp}`));
  for (const client of CLIENTS) results[`op-${client}`].push(ourProducer(`bench-${client}-${stamp}`, client));
  const topic = `bench-${CLIENTS[0]}-${stamp}`; // everyone reads the same topic
  results.kc.push(kafkaConsumerPerf(topic));
  for (const client of CLIENTS) results[`oc-${client}`].push(ourConsumer(topic, client));
  const each = (k) => CLIENTS.map((c) => `${c} ${fmt(results[`${k}-${c}`][r].rate)}/s`).join(', ');
  console.log(
    `run ${r + 1}: producer ${each('op')} vs kafka-producer-perf-test ${fmt(results.kp[r].rate)}/s; ` +
      `consumer→DuckDB ${each('oc')} vs kafka-consumer-perf-test ${fmt(results.kc[r].rate)}/s`,
  );
}
const med = (xs, k) => median(xs.map((x) => x[k]));
const line = (name, xs) => `${name.padEnd(52)} ${fmt(med(xs, 'rate')).padStart(10)} records/s ${med(xs, 'mb').toFixed(1).padStart(7)} MB/s`;
for (const c of CLIENTS) console.log(line(`sneakpipe produce (${c})`, results[`op-${c}`]));
console.log(line('kafka-producer-perf-test', results.kp));
for (const c of CLIENTS) console.log(line(`sneakpipe consume (${c}; → DuckDB, committed)`, results[`oc-${c}`]));
console.log(line('kafka-consumer-perf-test (read only)', results.kc));
for (const c of CLIENTS) {
  console.log(`ratio producer (${c}): ${(med(results[`op-${c}`], 'rate') / med(results.kp, 'rate')).toFixed(2)}`);
  console.log(`ratio consumer (${c}): ${(med(results[`oc-${c}`], 'rate') / med(results.kc, 'rate')).toFixed(2)}`);
}
