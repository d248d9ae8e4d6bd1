// Producer and consumer throughput on the real broker, side by side with
// Kafka's own perf tools (same record size, acks=all, gzip), in the same run.
// Needs the broker: npm run infra:up. Reproduce:
//   npm run build && npm run infra:up && node bench/kafka.mjs [--events 300000] [--runs 3]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrderEventGenerator, orderEventCodec } from '@sneakpipe/core';
import { fmt, intArg, machine, median } from './lib.mjs';

const root = new URL('..', import.meta.url).pathname;
const events = intArg('events', 300_000);
const runs = intArg('runs', 3);
const bootstrap = process.env.KAFKA_BOOTSTRAP ?? /KAFKA_BOOTSTRAP=(.+)/.exec(readFileSync(join(root, '.infra/kafka.env'), 'utf8'))[1].trim();
const cli = join(root, 'packages/runners/dist/cli.js');
const libs = join(root, '.infra/kafka/libs/*');

// The size of our records, so Kafka's tool sends the same bytes.
const sample = new OrderEventGenerator({ seed: 1 });
let bytes = 0;
for (let i = 0; i < 10_000; i++) bytes += orderEventCodec.encode(sample.draw()).byteLength;
const recordSize = Math.round(bytes / 10_000);

const sh = (cmd, args, env = {}) => execFileSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
const java = (main, args) => sh('java', ['-Xmx1g', '-cp', libs, main, ...args]);
const sneakpipe = (args) => sh(process.execPath, [cli, ...args], { KAFKA_BOOTSTRAP: bootstrap, SNEAKPIPE_LOG_LEVEL: 'warn' });
const num = (s) => Number(s.replaceAll(',', ''));

function kafkaProducerPerf(topic) {
  sneakpipe(['produce', '--count', '1', '--topic', topic]); // create it like ours: 3 partitions
  const out = java('org.apache.kafka.tools.ProducerPerformance', [
    '--topic', topic, '--num-records', String(events), '--record-size', String(recordSize), '--throughput', '-1',
    '--producer-props', `bootstrap.servers=${bootstrap}`, 'acks=all', 'compression.type=gzip', 'linger.ms=20', 'enable.idempotence=true',
  ]);
  const m = /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\)/.exec(out.trim().split('\n').at(-1));
  return { rate: Number(m[2]), mb: Number(m[3]) };
}

function kafkaConsumerPerf(topic) {
  const out = java('org.apache.kafka.tools.ConsumerPerformance', [
    '--bootstrap-server', bootstrap, '--topic', topic, '--messages', String(events), '--group', `perf-${topic}`, '--timeout', '60000',
  ]);
  const row = out.trim().split('\n').at(-1).split(',').map((x) => x.trim());
  return { rate: Number(row[5]), mb: Number(row[3]) };
}

function ourProducer(topic) {
  const out = sneakpipe(['produce', '--count', String(events), '--topic', topic, '--seed', '1']);
  const rate = num(/\(([\d,]+) events\/s\)/.exec(out)[1]);
  return { rate, mb: (rate * recordSize) / 2 ** 20 };
}

function ourConsumer(topic) {
  const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-bench-'));
  try {
    const out = sneakpipe(['consume', '--topic', topic, '--group', `ours-${topic}`, '--warehouse', join(dir, 'w.duckdb'), '--exit-when-idle', '2000']);
    const rate = num(/([\d,]+) records\/s while busy/.exec(out)[1]);
    return { rate, mb: (rate * recordSize) / 2 ** 20 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`# Kafka throughput: ${fmt(events)} records of ~${recordSize} B, acks=all, gzip, idempotent; median of ${runs} runs`);
console.log(`# ${machine()}; broker Apache Kafka 4.1.1 (KRaft, single node) at ${bootstrap}`);
const results = { kp: [], op: [], kc: [], oc: [] };
for (let r = 0; r < runs; r++) {
  const t1 = `bench-kafka-${Date.now()}-${r}`;
  const t2 = `bench-ours-${Date.now()}-${r}`;
  results.kp.push(kafkaProducerPerf(t1));
  results.op.push(ourProducer(t2));
  results.kc.push(kafkaConsumerPerf(t2)); // both read the topic our producer wrote
  results.oc.push(ourConsumer(t2));
  console.log(
    `run ${r + 1}: producer ours ${fmt(results.op[r].rate)}/s vs kafka-producer-perf-test ${fmt(results.kp[r].rate)}/s; ` +
      `consumer→DuckDB ours ${fmt(results.oc[r].rate)}/s vs kafka-consumer-perf-test ${fmt(results.kc[r].rate)}/s`,
  );
}
const med = (xs, k) => median(xs.map((x) => x[k]));
const line = (name, xs) => `${name.padEnd(42)} ${fmt(med(xs, 'rate')).padStart(10)} records/s ${med(xs, 'mb').toFixed(1).padStart(7)} MB/s`;
console.log(line('sneakpipe produce', results.op));
console.log(line('kafka-producer-perf-test', results.kp));
console.log(line('sneakpipe consume (→ DuckDB, committed)', results.oc));
console.log(line('kafka-consumer-perf-test (read only)', results.kc));
console.log(`ratio producer: ${(med(results.op, 'rate') / med(results.kp, 'rate')).toFixed(2)}`);
console.log(`ratio consumer: ${(med(results.oc, 'rate') / med(results.kc, 'rate')).toFixed(2)}`);
