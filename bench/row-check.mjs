// What checking rows by name costs: the demo's pipeline (generate on a worker → in-process broker → decode →
// batch → DuckDB, exactly once by positions) loading STREAMING_ORDERS two ways in the same run, alternating:
//   positional  the shop's hand-written rows, values in column order, unchecked (orderEventSink);
//   named       the same rows as objects keyed by column, checked and converted by core's tableRows
//               (types, whole numbers, cents, NOT NULL, unknown columns), as a library user's rows are.
// The check's cost is 1 - named/positional; the target is at most 10 %. Reproduce:
//   npm run build && node bench/row-check.mjs [--events 300000] [--runs 3]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deadLetterTable, positionedSink, tableRows } from '@sneakpipe/core';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import {
  STREAMING_ORDERS,
  WAREHOUSE_TABLES,
  derivedEventId,
  eventTimeMs,
  orderEventQualityFlags,
  orderEventSink,
  runEmbeddedPipeline,
} from '@sneakpipe/sneakers';
import { fmt, intArg, machine, median } from './lib.mjs';

const events = intArg('events', 300_000);
const runs = intArg('runs', 3);
const NAMED_DEAD_LETTERS = deadLetterTable('NAMED_DEAD_LETTERS');
const KNOWN = new Set(STREAMING_ORDERS.columns.map((c) => c.name.toLowerCase())); // the event's fields, upper-cased, are its columns

/** An order event's STREAMING_ORDERS row by column name: what a library user writes. */
function namedRow(e, record) {
  const p = record.position;
  const flags = orderEventQualityFlags(e);
  let extra;
  for (const key in e) if (!KNOWN.has(key)) (extra ??= {})[key] = e[key];
  return {
    EVENT_ID: e.event_id ?? derivedEventId(p),
    EVENT_TYPE: e.event_type,
    TIMESTAMP: eventTimeMs(e.timestamp),
    ORDER_ID: e.order_id,
    CUSTOMER_NAME: e.customer_name,
    CUSTOMER_CITY: e.customer_city,
    BRAND: e.brand,
    MODEL: e.model,
    COLOR: e.color,
    SIZE: e.size,
    UNIT_PRICE: e.unit_price,
    TOTAL_AMOUNT: e.total_amount,
    QUANTITY: e.quantity,
    KAFKA_PARTITION: p?.partition ?? null,
    KAFKA_OFFSET: p?.offset ?? null,
    QUALITY_FLAGS: flags.length > 0 ? flags.join(',') : null,
    EXTRA_FIELDS: extra ?? null,
  };
}

const sinks = {
  positional: (warehouse) => orderEventSink({ warehouse, group: 'bench' }),
  named: (warehouse) =>
    positionedSink({
      warehouse,
      group: 'bench',
      rows: tableRows({ table: STREAMING_ORDERS, deadLetters: NAMED_DEAD_LETTERS, row: namedRow }),
    }),
};

async function once(dir, how, run) {
  const warehouse = await DuckDbWarehouse.open(
    { path: join(dir, `${how}-${run}.duckdb`) },
    { tables: [...WAREHOUSE_TABLES, NAMED_DEAD_LETTERS] },
  );
  try {
    const result = await runEmbeddedPipeline({ events, seed: 1, sink: sinks[how](warehouse) });
    const rows = await warehouse.query(`SELECT COUNT(*)::INT AS N FROM ${warehouse.table('STREAMING_ORDERS')}`);
    if (rows[0].N !== result.loaded) throw new Error(`${how}: ${rows[0].N} rows for ${result.loaded} loaded`);
    return (result.loaded + result.deadLetters) / result.seconds;
  } finally {
    await warehouse.close();
  }
}

console.log(`row-check: ${machine()}; ${fmt(events)} events per run, ${runs} runs each, alternating`);
const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-row-check-'));
const rates = { positional: [], named: [] };
try {
  for (let run = 0; run < runs; run++) {
    for (const how of run % 2 ? ['named', 'positional'] : ['positional', 'named']) rates[how].push(await once(dir, how, run));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const positional = median(rates.positional);
const named = median(rates.named);
console.log(`positional rows, unchecked   ${fmt(positional)} events/s (runs: ${rates.positional.map(fmt).join(', ')})`);
console.log(`named rows, checked          ${fmt(named)} events/s (runs: ${rates.named.map(fmt).join(', ')})`);
console.log(
  `ratio ${(named / positional).toFixed(3)}: the check costs ${((1 - named / positional) * 100).toFixed(1)} % of the demo's throughput (target <= 10 %)`,
);
