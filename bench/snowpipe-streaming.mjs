// What the Snowpipe Streaming load method sustains on this machine, against the test server that speaks its REST
// API (infra/snowpipe-streaming/server.mjs), started here with --discard-rows so the figure is the client's and the
// protocol's (the emulator's own INSERTs run at a few hundred rows/s and would measure only themselves). The same
// pipeline as the demo (generate → in-process broker → decode → batch) loads STREAMING_ORDERS through streaming at
// two commit delays (the time Snowflake takes to commit what it accepted: about a second, 5–10 s end to end by its
// docs) and, as the reference in the same run, into a DuckDB file. Printed: events/s and the ratio to DuckDB, each
// load's time (appends, commit of the rows, append and commit of the position), appends/s and bytes per append.
// Needs the emulator (its SQL side creates the tables): npm run infra:up. Reproduce:
//   npm run build && npm run infra:up && node bench/snowpipe-streaming.mjs [--events 60000] [--batch 10000]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStreamingWarehouse } from '@sneakpipe/connectors/snowflake';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { WAREHOUSE_TABLES, orderEventSink, runEmbeddedPipeline } from '@sneakpipe/sneakers';
import { fmt, intArg, machine, median } from './lib.mjs';

const root = new URL('..', import.meta.url).pathname;
const events = intArg('events', 60_000);
const batch = intArg('batch', 10_000);
const env = Object.fromEntries(
  readFileSync(join(root, '.infra/snowflake.env'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('='))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);

/** A private test server (its own port and faults), committing after `delayMs` and discarding rows. */
async function startServer(dir, delayMs) {
  const portFile = join(dir, `port-${delayMs}`);
  const child = spawn(
    process.execPath,
    [
      join(root, 'infra/snowpipe-streaming/server.mjs'),
      '--public-key',
      env.SNOWFLAKE_STREAMING_PRIVATE_KEY_PATH.replace(/\.p8$/, '.pub'),
      '--port',
      '0',
      '--port-file',
      portFile,
      '--commit-delay-ms',
      String(delayMs),
      '--discard-rows',
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  for (let i = 0; i < 100; i++) {
    try {
      const url = `http://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}`;
      await fetch(`${url}/__state`);
      return { url, stop: () => child.kill() };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill();
  throw new Error('the Snowpipe Streaming test server did not start');
}

const connection = (schema, url) => ({
  account: env.SNOWFLAKE_ACCOUNT,
  username: env.SNOWFLAKE_USER,
  password: env.SNOWFLAKE_PASSWORD,
  host: env.SNOWFLAKE_HOST,
  port: Number(env.SNOWFLAKE_PORT),
  protocol: 'http',
  database: 'RETAIL_LAB',
  schema,
  arrayBindingThreshold: Number(env.SNOWFLAKE_ARRAY_BINDING_THRESHOLD),
  loadMethod: 'streaming',
  streamingUrl: url,
  streamingPrivateKeyPath: env.SNOWFLAKE_STREAMING_PRIVATE_KEY_PATH,
});

/** Loads `events` through `warehouse`, timing each of its loads (one per partition and batch). */
async function load(warehouse) {
  const loads = [];
  const timed = {
    ...warehouse,
    loadsByPartition: warehouse.loadsByPartition,
    positions: (...a) => warehouse.positions(...a),
    claim: warehouse.claim ? (...a) => warehouse.claim(...a) : undefined,
    append: async (l) => {
      const started = performance.now();
      await warehouse.append(l);
      loads.push(performance.now() - started);
    },
  };
  const result = await runEmbeddedPipeline({
    events,
    seed: 1,
    batchMaxCount: batch,
    sink: orderEventSink({ warehouse: timed, group: 'bench' }),
  });
  return { rate: (result.loaded + result.deadLetters) / result.seconds, loads: loads.sort((a, b) => a - b) };
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
console.log(`snowpipe-streaming: ${machine()}; ${fmt(events)} events, batches of up to ${fmt(batch)}, 3 partitions`);
const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-sps-bench-'));
try {
  const duck = await DuckDbWarehouse.open({ path: join(dir, 'ref.duckdb') }, { tables: WAREHOUSE_TABLES });
  const reference = await load(duck).finally(() => duck.close());
  console.log(`reference, DuckDB file: ${fmt(reference.rate)} events/s`);
  for (const delayMs of [200, 1000]) {
    const server = await startServer(dir, delayMs);
    try {
      const warehouse = await openStreamingWarehouse(connection(`SPS_BENCH_${process.pid}_${delayMs}`, server.url), WAREHOUSE_TABLES);
      const started = performance.now();
      const run = await load(warehouse).finally(() => warehouse.close());
      const seconds = (performance.now() - started) / 1000;
      const { counters } = await (await fetch(`${server.url}/__state`)).json();
      const appends = counters.requests['append 200'] ?? 0;
      console.log(
        `streaming, commit after ${delayMs} ms: ${fmt(run.rate)} events/s, ${(run.rate / reference.rate).toFixed(3)} of DuckDB's; ` +
          `load (rows appended and committed, then the position) p50 ${fmt(median(run.loads))} ms, p99 ${fmt(pct(run.loads, 99))} ms over ${run.loads.length} loads; ` +
          `${appends} appends (${(appends / seconds).toFixed(1)}/s: rows, then the position, per load), ` +
          `${fmt(counters.bytesUncompressed / run.loads.length / 1024)} KiB of NDJSON per load, ${fmt(counters.bytesReceived / run.loads.length / 1024)} KiB gzip on the wire; ` +
          `at most one append per partition in flight`,
      );
    } finally {
      server.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
