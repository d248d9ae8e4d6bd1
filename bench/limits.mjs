// The speed and memory targets' figures, each next to its reference, measured in ONE run so the
// ratios hold on a noisy machine:
//   - `sneakpipe demo --events N`, whole process (start to exit), against
//     DuckDB's own `read_ndjson` import of the same events (exported from the
//     demo's table) into a file-backed copy of the table (default DuckDB
//     settings, no key);
//   - the generator alone into a no-op (events/s);
//   - the demo's peak RSS.
// With `--kafka` (needs `npm run infra:up`) it also runs the Kafka figures,
// each from its own script: producer and consumer against Kafka's perf tools
// (bench/kafka.mjs), the draining consumer's memory (bench/memory.mjs) and p99
// latency (bench/latency.mjs), and prints their ratio lines. Reproduce:
//   npm run build && node bench/limits.mjs [--events 1000000] [--kafka]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrderEventGenerator, runEmbeddedPipeline } from '@sneakpipe/sneakers';
import { BIN_NODE_FLAGS, SNEAKPIPE_BIN, duckdbImport, fmt, intArg, machine } from './lib.mjs';

const events = intArg('events', 1_000_000);
const here = new URL('.', import.meta.url).pathname;
const load = () =>
  `load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`;
const TARGETS = { demoRatio: 0.35, generator: 1_000_000, demoRssMb: 300 };

/** `sneakpipe demo` in a child process: wall time from spawn to exit, and its peak RSS (from GNU time when present). */
function demo(warehouse) {
  // As installed users run it: the bin, with the V8 flag its shebang (and the image's entrypoint) gives node. Run as
  // `node bin/sneakpipe.js`, the flag reaches only the producer thread: same throughput, more memory
  // (bin/sneakpipe.js says why).
  const args = [...BIN_NODE_FLAGS, SNEAKPIPE_BIN, 'demo', '--events', String(events), '--warehouse', warehouse];
  const gnuTime = existsSync('/usr/bin/time');
  const started = performance.now();
  const run = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', 'maxrss_kb=%M', process.execPath, ...args], {
        encoding: 'utf8',
        env: { ...process.env, SNEAKPIPE_LOG_LEVEL: 'warn' },
      })
    : spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, SNEAKPIPE_LOG_LEVEL: 'warn' } });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`demo failed: ${run.stderr}`);
  const timed = /maxrss_kb=(\d+)/.exec(run.stderr);
  const printed = /peak memory \(RSS\)\s+([\d,]+)/.exec(run.stdout);
  const rssMb = timed ? Number(timed[1]) / 1024 : Number(printed[1].replaceAll(',', ''));
  const inPipeline = Number(/throughput\s+([\d,]+)/.exec(run.stdout)[1].replaceAll(',', ''));
  return { rate: events / seconds, seconds, rssMb, inPipeline };
}

/** The generator alone: draws into a no-op after a short warm-up (in a child, so nothing else shares its heap). */
function generatorAlone() {
  const out = execFileSync(process.execPath, [join(here, 'limits.mjs'), '--generator-only', '--events', String(events)], {
    encoding: 'utf8',
  });
  return Number(out.trim().split('\n').at(-1));
}

/**
 * The demo's pipeline with no warehouse (same producer thread, broker, decoding and validation, into a no-op
 * sink), in a child with the bin's flags: the most any work on the load could give the demo.
 */
function pipelineAlone() {
  const args = [...BIN_NODE_FLAGS, join(here, 'limits.mjs'), '--pipeline-only', '--events', String(events)];
  return Number(execFileSync(process.execPath, args, { encoding: 'utf8' }).trim().split('\n').at(-1));
}

if (process.argv.includes('--pipeline-only')) {
  const run = await runEmbeddedPipeline({ events, seed: 42, sink: { write: async () => undefined } });
  console.log(Math.round(run.produced / run.seconds));
  process.exit(0);
}

if (process.argv.includes('--generator-only')) {
  const generator = new OrderEventGenerator({ seed: 1 });
  for (let i = 0; i < 20_000; i++) generator.draw();
  let sink = 0;
  const started = performance.now();
  for (let i = 0; i < events; i++) sink += generator.draw().quantity;
  const seconds = (performance.now() - started) / 1000;
  if (sink === 0) throw new Error('no events');
  console.log(Math.round(events / seconds));
  process.exit(0);
}

const verdict = (ok) => (ok ? 'met' : 'MISSED');
console.log(`# Limits, ${fmt(events)} events, one run — ${machine()}`);
const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-limits-'));
try {
  const warehouse = join(dir, 'demo.duckdb');
  console.log(`# ${load()} before the demo`);
  const d = demo(warehouse);
  console.log(`# ${load()} after the demo`);
  const ref = await duckdbImport(dir, warehouse);
  if (ref.rows !== events) throw new Error(`the demo's table holds ${ref.rows} rows, not ${events}`);
  console.log(`# ${load()} after the DuckDB import`);
  const gen = generatorAlone();
  console.log(`# ${load()} after the generator`);
  const ceiling = pipelineAlone();
  console.log(`# ${load()} after the pipeline without a warehouse`);
  const ratio = d.rate / ref.rate;
  console.log(
    `sneakpipe demo, whole process       ${fmt(d.rate).padStart(10)} events/s  (${d.seconds.toFixed(2)} s; ${fmt(d.inPipeline)} events/s inside the pipeline)`,
  );
  console.log(`DuckDB read_ndjson import (ref)     ${fmt(ref.rate).padStart(10)} rows/s`);
  console.log(
    `ratio demo / DuckDB import          ${ratio.toFixed(3).padStart(10)}   target >= ${TARGETS.demoRatio}: ${verdict(ratio >= TARGETS.demoRatio)}`,
  );
  console.log(
    `same pipeline, no warehouse         ${fmt(ceiling).padStart(10)} events/s  ratio ${(ceiling / ref.rate).toFixed(3)}: the ceiling of any faster load`,
  );
  console.log(
    `generator alone, into a no-op       ${fmt(gen).padStart(10)} events/s  target >= ${fmt(TARGETS.generator)}: ${verdict(gen >= TARGETS.generator)}`,
  );
  console.log(
    `demo peak RSS                       ${fmt(d.rssMb).padStart(10)} MB        target <= ${TARGETS.demoRssMb}: ${verdict(d.rssMb <= TARGETS.demoRssMb)}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv.includes('--kafka')) {
  // The Kafka figures come from their own scripts (each measures its reference in the same run).
  const run = (script, args, pick) => {
    console.log(`\n=== node bench/${script} ${args.join(' ')}   (${load()})`);
    const out = execFileSync(process.execPath, [join(here, script), ...args], { encoding: 'utf8' });
    for (const line of out.split('\n').filter((l) => pick.test(l))) console.log(line);
  };
  run('kafka.mjs', ['--events', '300000', '--runs', '1'], /^ratio|perf-test|sneakpipe/);
  run('memory.mjs', ['--events', String(events)], /platformatic|kafkajs|MB/);
  run('latency.mjs', ['--seconds', '20', '--runs', '1'], /p99|p50/);
}
