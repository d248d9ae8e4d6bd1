// What schema evolution costs when no field is new: the demo's pipeline (generate on a worker → in-process broker
// → decode → batch → DuckDB, exactly once by positions) loading STREAMING_ORDERS two ways in the same run,
// alternating:
//   off  orderEventSink as `consume` runs it by default: fields without a column go to EXTRA_FIELDS as JSON;
//   on   orderEventSink({ schemaEvolution: true }), as `consume --schema-evolution` runs it: each batch's extra
//        fields (none here) are checked against the table's columns before the load.
// The check's cost is 1 - on/off; the target is at most 5 %. Then the same with two fields beyond the table's in
// every event (coupon_code, gift): off keeps them in EXTRA_FIELDS as JSON, on loads them into their columns (added by
// the first batch) — a figure to read, not a target. Reproduce:
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

/** The sink, handed events with two more fields (a new object per event, in both modes alike). */
function withExtraFields(sink) {
  const more = (item) => (item.ok ? { ...item, value: { ...item.value, coupon_code: 'WELCOME10', gift: item.value.quantity > 1 } } : item);
  return { ...sink, write: (batch) => sink.write(batch.map(more)) };
}

async function once(dir, how, run, extra = false) {
  const warehouse = await DuckDbWarehouse.open(
    { path: join(dir, `${how}-${run}-${extra}.duckdb`) },
    { tables: [...WAREHOUSE_TABLES, SCHEMA_CHANGES] },
  );
  try {
    const evolving = orderEventSink({ warehouse, group: 'bench', schemaEvolution: how === 'on' });
    const sink = extra ? withExtraFields(evolving) : evolving;
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
const rates = { off: [], on: [], 'off+2': [], 'on+2': [] };
try {
  // One of each first, not counted: the first runs of a process pay for compiling the hot paths.
  for (const how of ['off', 'on']) await once(dir, how, 'warm-up');
  for (let run = 0; run < runs; run++) {
    for (const how of run % 2 ? ['on', 'off'] : ['off', 'on']) rates[how].push(await once(dir, how, run));
    for (const how of run % 2 ? ['on', 'off'] : ['off', 'on']) rates[`${how}+2`].push(await once(dir, how, run, true));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const line = (label, key) => console.log(`${label} ${fmt(median(rates[key]))} events/s (runs: ${rates[key].map(fmt).join(', ')})`);
// The median of each run's own ratio: the two runs of a pair are seconds apart, while the machine's pace drifts
// by a fifth over the whole script, which a ratio of medians would take for a difference.
const ratio = (on, off) => median(rates[on].map((rate, run) => rate / rates[off][run]));
line('evolution off                  ', 'off');
line('evolution on                   ', 'on');
console.log(
  `ratio ${ratio('on', 'off').toFixed(3)} (median of the runs' ratios): with no new field, evolution costs ${((1 - ratio('on', 'off')) * 100).toFixed(1)} % of the throughput (target <= 5 %)`,
);
line('2 more fields, off (JSON)      ', 'off+2');
line('2 more fields, on (2 columns)  ', 'on+2');
console.log(
  `ratio ${ratio('on+2', 'off+2').toFixed(3)} (median of the runs' ratios): two fields in columns against the same in EXTRA_FIELDS (a figure, not a target)`,
);
