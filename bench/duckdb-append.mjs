// DuckDB's side of a load, alone: the demo's rows, already encoded as the
// DuckDB warehouse encodes them, appended the way its engine appends them
// (appender + data chunks, one transaction per load) at several transaction
// sizes, each into a fresh file-backed table, with the time and CPU of each
// phase. The reference, in the same run, is DuckDB storing the same rows in
// bulk: `INSERT INTO t SELECT * FROM an in-memory copy`, then `CHECKPOINT`.
// CPU is the whole process's (DuckDB's own threads included). Reproduce:
//   npm run build && node bench/duckdb-append.mjs [--rows 1000000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createTableSql } from '@sneakpipe/connectors/duckdb';
import { OrderEventGenerator, STREAMING_ORDERS } from '@sneakpipe/sneakers';
import { encodedDemoRows, streamingOrdersWriter } from './demo-rows.mjs';
import { fmt, intArg, machine } from './lib.mjs';

const rows = intArg('rows', 1_000_000);
// The demo's batch, DuckDB's row group (from which it writes a transaction's rows straight to the file), and all at once.
const SIZES = [20_000, 122_880, rows];
const TABLE = '"STREAMING_ORDERS"';
/** DuckDB's vector size: the rows of one data chunk. */
const CHUNK_ROWS = 2048;

/** The demo's rows (same seed every time), encoded in batches of `size`. */
function encodedBatches(size) {
  const generator = new OrderEventGenerator({ seed: 42, start: Date.UTC(2026, 0, 1) });
  const next = [0, 0, 0];
  const batches = [];
  for (let start = 0; start < rows; start += size) batches.push(encodedDemoRows(generator, next, Math.min(size, rows - start), 'bench'));
  return batches;
}

const cpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** Runs `work`, adding its wall ms and CPU µs to `into[name]`. */
async function timed(into, name, work) {
  const wall = performance.now();
  const cpu = cpuMicros();
  await work();
  into[name] ??= { ms: 0, cpu: 0 };
  into[name].ms += performance.now() - wall;
  into[name].cpu += cpuMicros() - cpu;
}

async function freshTable(dir, name) {
  const instance = await DuckDBInstance.create(join(dir, `${name}.duckdb`));
  const connection = await instance.connect();
  await connection.run(createTableSql(TABLE, STREAMING_ORDERS));
  return { instance, connection };
}

/** Appends the rows in transactions of `size` rows, as `DuckDbEngine.append` does for an append-only table. */
async function appendInTransactions(dir, size) {
  const batches = encodedBatches(size);
  const { instance, connection } = await freshTable(dir, `append-${size}`);
  const writer = streamingOrdersWriter();
  const phases = {};
  const wall = performance.now();
  const cpu = cpuMicros();
  for (const encoded of batches) {
    await connection.run('BEGIN TRANSACTION');
    const appender = await connection.createAppender('STREAMING_ORDERS');
    await timed(phases, 'vectors', () => writer.append(appender, encoded, Date.now() * 1000));
    await timed(phases, 'flush', () => {
      appender.flushSync();
      appender.closeSync();
    });
    await timed(phases, 'commit', () => connection.run('COMMIT'));
  }
  await timed(phases, 'checkpoint', () => connection.run('CHECKPOINT'));
  const result = { ms: performance.now() - wall, cpu: cpuMicros() - cpu, phases };
  connection.closeSync();
  instance.closeSync();
  return result;
}

/** The reference: the same rows from an in-memory copy into the file-backed table in one statement, then CHECKPOINT. */
async function bulkInsert(dir) {
  const { instance, connection } = await freshTable(dir, 'bulk');
  await connection.run(`CREATE TEMP TABLE mem AS SELECT * FROM ${TABLE} LIMIT 0`);
  const appender = await connection.createAppender('mem', 'main', 'temp');
  const writer = streamingOrdersWriter();
  for (const encoded of encodedBatches(CHUNK_ROWS * 10)) writer.append(appender, encoded, Date.now() * 1000);
  appender.flushSync();
  appender.closeSync();
  const wall = performance.now();
  const cpu = cpuMicros();
  await connection.run(`INSERT INTO ${TABLE} SELECT * FROM temp.mem`);
  await connection.run('CHECKPOINT');
  const result = { ms: performance.now() - wall, cpu: cpuMicros() - cpu };
  connection.closeSync();
  instance.closeSync();
  return result;
}

const perRow = (cpu) => `${(cpu / rows).toFixed(2)} µs`;
const rate = (ms) => rows / (ms / 1000);

console.log(`# DuckDB's side of a load, ${fmt(rows)} STREAMING_ORDERS rows, one run — ${machine()}`);
const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-duckdb-append-'));
try {
  const ref = await bulkInsert(dir);
  console.log(`bulk INSERT … SELECT + CHECKPOINT (ref)   ${fmt(rate(ref.ms)).padStart(10)} rows/s   CPU ${perRow(ref.cpu)}/row`);
  for (const size of SIZES) {
    const r = await appendInTransactions(dir, size);
    const phases = Object.entries(r.phases)
      .map(([name, p]) => `${name} ${perRow(p.cpu)}`)
      .join(', ');
    const label = size === rows ? 'appender, one transaction' : `appender, ${fmt(size)} rows per transaction`;
    console.log(
      `${label.padEnd(41)} ${fmt(rate(r.ms)).padStart(10)} rows/s   CPU ${perRow(r.cpu)}/row (${phases})   ratio ${(rate(r.ms) / rate(ref.ms)).toFixed(2)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
