// The embedded pipeline (generate → serialize → in-process broker
// → batch → DuckDB) as `sneakpipe demo` runs it, next to DuckDB's raw appender
// loading the same rows into the same table (the limit: no JSON, no broker, no
// validation). Reproduce:
//   npm run build && node bench/embedded.mjs [--events 1000000] [--runs 3]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, DECIMAL, decimalValue, timestampValue } from '@duckdb/node-api';
import { WAREHOUSE_LOCATION, WAREHOUSE_TABLES, OrderEventGenerator, runEmbeddedPipeline } from '@sneakpipe/sneakers';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { BIN_NODE_FLAGS, SNEAKPIPE_BIN, fmt, intArg, machine, median } from './lib.mjs';

const events = intArg('events', 1_000_000);
const runs = intArg('runs', 3);

/** `sneakpipe demo` in a child process, as a user runs it: events/s and peak RSS. */
function demo(dir) {
  const out = execFileSync(
    process.execPath,
    [...BIN_NODE_FLAGS, SNEAKPIPE_BIN, 'demo', '--events', String(events), '--warehouse', join(dir, 'demo.duckdb')],
    {
      encoding: 'utf8',
      env: { ...process.env, SNEAKPIPE_LOG_LEVEL: 'warn' },
    },
  );
  const rate = Number(/throughput\s+([\d,]+)/.exec(out)[1].replaceAll(',', ''));
  const mb = Number(/peak memory \(RSS\)\s+([\d,]+)/.exec(out)[1].replaceAll(',', ''));
  return { rate, mb };
}

/**
 * The same pipeline as the demo (same batch sizes and backpressure) into a
 * sink that does nothing: what everything but the warehouse costs.
 */
async function withoutWarehouse() {
  const run = await runEmbeddedPipeline({ events, seed: 1, sink: { write: async () => undefined } });
  return { rate: run.loaded / run.seconds };
}

/**
 * The same rows appended with DuckDB's appender straight into
 * `RETAIL_LAB.STG.STREAMING_ORDERS` (append-only, as the pipeline loads it) —
 * or into a copy with a primary key on EVENT_ID — one transaction per
 * 20,000 rows. Rows are generated before the clock starts.
 */
async function rawAppender(dir, rows, { primaryKey }) {
  const path = join(dir, `raw-${primaryKey}.duckdb`);
  await (await DuckDbWarehouse.open({ path, ...WAREHOUSE_LOCATION }, { tables: WAREHOUSE_TABLES })).close(); // the same tables, where the CLI puts them
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: '256MB' });
  const connection = await instance.connect();
  await connection.run(`ATTACH '${path}' AS RETAIL_LAB`);
  const table = primaryKey ? 'STREAMING_ORDERS_KEYED' : 'STREAMING_ORDERS';
  // The same columns with a primary key: what the key's index would cost (the event tables have none).
  if (primaryKey) {
    await connection.run('CREATE TABLE RETAIL_LAB.STG.STREAMING_ORDERS_KEYED AS FROM RETAIL_LAB.STG.STREAMING_ORDERS LIMIT 0');
    await connection.run('ALTER TABLE RETAIL_LAB.STG.STREAMING_ORDERS_KEYED ADD PRIMARY KEY (EVENT_ID)');
  }
  const money = DECIMAL(10, 2);
  const started = performance.now();
  for (let start = 0; start < rows.length; start += 20_000) {
    await connection.run('BEGIN TRANSACTION');
    const appender = await connection.createAppender(table, 'STG', 'RETAIL_LAB');
    for (const [i, e] of rows.slice(start, start + 20_000).entries()) {
      appender.appendVarchar(e.event_id);
      appender.appendVarchar(e.event_type);
      appender.appendTimestamp(timestampValue(BigInt(Date.parse(e.timestamp)) * 1000n));
      appender.appendBigInt(BigInt(e.order_id));
      appender.appendVarchar(e.customer_name);
      appender.appendVarchar(e.customer_city);
      appender.appendVarchar(e.brand);
      appender.appendVarchar(e.model);
      appender.appendVarchar(e.color);
      appender.appendVarchar(e.size);
      appender.appendDecimal(decimalValue(BigInt(Math.round(e.unit_price * 100)), money.width, money.scale));
      appender.appendDecimal(decimalValue(BigInt(Math.round(e.total_amount * 100)), money.width, money.scale));
      appender.appendInteger(e.quantity);
      appender.appendInteger((start + i) % 3);
      appender.appendBigInt(BigInt(start + i));
      appender.appendNull(); // QUALITY_FLAGS
      appender.appendNull(); // EXTRA_FIELDS
      appender.appendNull(); // PROCESSED_AT
      appender.endRow();
    }
    appender.flushSync();
    appender.closeSync();
    await connection.run('COMMIT');
  }
  const seconds = (performance.now() - started) / 1000;
  connection.closeSync();
  instance.closeSync();
  return { rate: rows.length / seconds };
}

console.log(`# Embedded pipeline, ${fmt(events)} events — median of ${runs} runs, fresh warehouse each run`);
console.log(`# ${machine()}`);
const generator = new OrderEventGenerator({ seed: 1 });
const rows = Array.from({ length: events }, () => generator.draw());
const results = { demo: [], raw: [], rawKeyed: [], noWarehouse: [] };
for (let r = 0; r < runs; r++) {
  const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-bench-'));
  try {
    results.demo.push(demo(dir));
    results.raw.push(await rawAppender(dir, rows, { primaryKey: false }));
    results.rawKeyed.push(await rawAppender(dir, rows, { primaryKey: true }));
    results.noWarehouse.push(await withoutWarehouse());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `run ${r + 1}: sneakpipe demo ${fmt(results.demo[r].rate)} events/s (peak RSS ${results.demo[r].mb} MB); raw appender ${fmt(results.raw[r].rate)} rows/s (${fmt(results.rawKeyed[r].rate)} with a key on EVENT_ID); no warehouse ${fmt(results.noWarehouse[r].rate)} events/s`,
  );
}
const demoRate = median(results.demo.map((x) => x.rate));
const rawRate = median(results.raw.map((x) => x.rate));
console.log(
  `sneakpipe demo (whole pipeline)          ${fmt(demoRate).padStart(10)} events/s, peak RSS ${fmt(median(results.demo.map((x) => x.mb)))} MB`,
);
console.log(`DuckDB raw appender (same rows, same table) ${fmt(rawRate).padStart(10)} rows/s`);
console.log(`DuckDB raw appender, a key on EVENT_ID      ${fmt(median(results.rawKeyed.map((x) => x.rate))).padStart(10)} rows/s`);
console.log(`pipeline into a no-op sink (no warehouse) ${fmt(median(results.noWarehouse.map((x) => x.rate))).padStart(10)} events/s`);
console.log(
  `ratio to the raw appender: ${(demoRate / rawRate).toFixed(2)}; target 500,000 events/s: ${demoRate >= 500_000 ? 'met' : 'missed'}`,
);
