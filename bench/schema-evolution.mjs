// What schema evolution costs when no field is new: the demo's pipeline (generate on a worker → in-process broker
// → decode → batch → DuckDB, exactly once by positions) loading STREAMING_ORDERS two ways in the same run,
// alternating:
//   off  orderEventSink as `consume` runs it by default: fields without a column go to EXTRA_FIELDS as JSON;
//   on   orderEventSink({ schemaEvolution: true }), as `consume --schema-evolution` runs it: each batch's extra
//        fields (none here) are checked against the table's columns before the load.
// The check's cost is 1 - on/off; the target is at most 5 %. Reproduce:
//   npm run build && node bench/schema-evolution.mjs [--events 300000] [--runs 7]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA_CHANGES } from '@sneakpipe/core';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { WAREHOUSE_TABLES, orderEventSink, runEmbeddedPipeline } from '@sneakpipe/sneakers';
import { fmt, intArg, machine, median } from './lib.mjs';

const events = intArg('events', 300_000);
const runs = intArg('runs', 7);

async function once(dir, how, run) {
  const warehouse = await DuckDbWarehouse.open({ path: join(dir, `${how}-${run}.duckdb`) }, { tables: [...WAREHOUSE_TABLES, SCHEMA_CHANGES] });
  try {
    const sink = orderEventSink({ warehouse, group: 'bench', schemaEvolution: how === 'on' });
    const result = await runEmbeddedPipeline({ events, seed: 1, sink });
    const rows = await warehouse.query(`SELECT COUNT(*)::INT AS N FROM ${warehouse.table('STREAMING_ORDERS')}`);
    if (rows[0].N !== result.loaded) throw new Error(`${how}: ${rows[0].N} rows for ${result.loaded} loaded`);
    return (result.loaded + result.deadLetters) / result.seconds;
  } finally {
    await warehouse.close();
  }
}

console.log(`schema-evolution: ${machine()}; ${fmt(events)} events per run (no new field), ${runs} runs each, alternating`);
const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-schema-evolution-'));
const rates = { off: [], on: [] };
try {
  // One of each first, not counted: the first runs of a process pay for compiling the hot paths.
  for (const how of ['off', 'on']) await once(dir, how, 'warm-up');
  for (let run = 0; run < runs; run++) {
    for (const how of run % 2 ? ['on', 'off'] : ['off', 'on']) rates[how].push(await once(dir, how, run));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const off = median(rates.off);
const on = median(rates.on);
console.log(`evolution off   ${fmt(off)} events/s (runs: ${rates.off.map(fmt).join(', ')})`);
console.log(`evolution on    ${fmt(on)} events/s (runs: ${rates.on.map(fmt).join(', ')})`);
console.log(`ratio ${(on / off).toFixed(3)}: with no new field, evolution costs ${((1 - on / off) * 100).toFixed(1)} % of the throughput (target <= 5 %)`);
