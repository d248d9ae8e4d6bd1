// The ceiling of a columnar record contract (what the missed speed targets would take):
// a skeleton that does less than any real pipeline would. A producer thread
// generates the demo's events and builds their STREAMING_ORDERS columns as the
// DuckDB warehouse encodes them; this thread hands each batch, with the
// positions it advances, to the warehouse's DuckDB thread, which appends and
// commits them as every load does. No JSON, no validation, no broker, no
// metrics, no record object past the producer. Measured at the demo's batch
// (20,000 rows per transaction) and at one DuckDB row group (122,880), each
// into a fresh file, next to DuckDB's own `read_ndjson` import of the same
// rows (as bench/limits.mjs measures it), in one run.
// CPU per row: the producer thread's, this thread's, and the rest (DuckDB's
// threads and V8's helper threads). Reproduce:
//   npm run build && node bench/columnar-ceiling.mjs [--events 1000000]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { WAREHOUSE_TABLES } from '@sneakpipe/sneakers';
import { duckdbImport, fmt, intArg, machine } from './lib.mjs';

const events = intArg('events', 1_000_000);
const SIZES = [20_000, 122_880];
const TOPIC = 'bench';

const cpuOf = (usage) => usage.user + usage.system;

if (process.argv.includes('--reference-only')) {
  // In a process of its own, as bench/limits.mjs runs it (next to the demo's child): this one's heap holds the runs.
  const [warehouse, dir] = process.argv.slice(process.argv.indexOf('--reference-only') + 1);
  console.log(JSON.stringify(await duckdbImport(dir, warehouse)));
  process.exit(0);
}

/** One skeleton run into a fresh warehouse file: rows/s from the producer thread's start to the last commit, and CPU µs per row by thread. */
async function skeleton(path, batch) {
  const warehouse = await DuckDbWarehouse.open({ path }, { tables: WAREHOUSE_TABLES });
  await warehouse.init();
  // The warehouse's link to its DuckDB thread: what `append` calls once it has encoded the rows (here the producer
  // thread encoded them).
  const link = warehouse['link'];
  const mainBefore = process.threadCpuUsage();
  const processBefore = process.cpuUsage();
  const started = performance.now();
  const producer = new Worker(new URL('./columnar-ceiling-worker.mjs', import.meta.url), { workerData: { events, batch, topic: TOPIC } });
  let stored = [null, null, null];
  const loads = [];
  const producerCpu = await new Promise((resolve, reject) => {
    producer.on('message', (message) => {
      if (message.done) return resolve(message.cpu);
      const positions = message.next.flatMap((to, partition) =>
        to === (stored[partition] ?? 0) ? [] : [{ topic: TOPIC, partition, from: stored[partition], to }],
      );
      // A partition no batch has reached yet has no stored position (null), not 0.
      stored = message.next.map((to) => (to === 0 ? null : to));
      const load = { tables: [{ table: 'STREAMING_ORDERS', encoded: message.encoded }], group: 'bench', positions };
      loads.push(link.call('append', [load], message.buffers).then(() => producer.postMessage('loaded')));
    });
    producer.on('error', reject);
    producer.on('exit', (code) => reject(new Error(`the producer thread exited (code ${code}) before it was done`)));
  });
  await Promise.all(loads);
  const seconds = (performance.now() - started) / 1000;
  const main = cpuOf(process.threadCpuUsage(mainBefore));
  const all = cpuOf(process.cpuUsage(processBefore));
  await producer.terminate();
  await warehouse.close();
  const producerUs = cpuOf(producerCpu);
  return { rate: events / seconds, producer: producerUs / events, main: main / events, rest: (all - producerUs - main) / events };
}

console.log(`# The columnar ceiling, ${fmt(events)} events, one run — ${machine()}`);
const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-columnar-'));
try {
  const results = [];
  for (const batch of SIZES) results.push([batch, await skeleton(join(dir, `skeleton-${batch}.duckdb`), batch)]);
  const script = new URL(import.meta.url).pathname;
  const out = execFileSync(process.execPath, [script, '--reference-only', join(dir, `skeleton-${SIZES[0]}.duckdb`), dir], {
    encoding: 'utf8',
  });
  const ref = JSON.parse(out.trim().split('\n').at(-1));
  if (ref.rows !== events) throw new Error(`the skeleton's table holds ${ref.rows} rows, not ${events}`);
  console.log(`DuckDB read_ndjson import of the same rows (ref)  ${fmt(ref.rate).padStart(10)} rows/s`);
  for (const [batch, r] of results) {
    const cpu = `producer ${r.producer.toFixed(2)} + this thread ${r.main.toFixed(2)} + DuckDB and V8 helpers ${r.rest.toFixed(2)}`;
    console.log(
      `skeleton, ${fmt(batch).padStart(7)} rows per transaction          ${fmt(r.rate).padStart(10)} rows/s   ratio ${(r.rate / ref.rate).toFixed(3)}   CPU µs/row: ${cpu}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
