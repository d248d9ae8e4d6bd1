// A process that loads into a warehouse through the built connectors under the
// time zone it was started with (TZ), and prints what it stored as JSON: how
// the tests check that load times are UTC whatever the process's time zone. A
// running process does not reliably take a new TZ (DuckDB's ICU reads it once),
// so each time zone is a process of its own.
//
//   TZ=Asia/Kolkata node load-time-child.mjs duckdb FILE
//   TZ=Asia/Kolkata node load-time-child.mjs snowflake CONNECTION_JSON
//
// Prints { timeZone, offsetMinutes, before, secondLoadAt, after, eventAt, tables }:
// the loads ran between `before` and `after` (ms since epoch), the second from
// `secondLoadAt`; `tables` holds each
// timestamp column as the warehouse stores it (its text) and as the driver
// returns it (ISO).
import { column } from '@sneakpipe/core';

const [kind, target] = process.argv.slice(2);

/** An append-only table (DuckDB appends to it directly) and a keyed one (staged), each with a load time. */
const EVENTS = {
  name: 'TZ_EVENTS',
  description: 'append-only',
  columns: [column('ID', 'text'), column('HAPPENED_AT', 'timestamp'), column('LOADED_AT', 'timestamp', { default: 'now' })],
};
const REFS = {
  name: 'TZ_REFS',
  description: 'keyed',
  primaryKey: 'ID',
  columns: [column('ID', 'text'), column('LOADED_AT', 'timestamp', { default: 'now' })],
};

const warehouse =
  kind === 'duckdb'
    ? await (await import('@sneakpipe/connectors/duckdb')).DuckDbWarehouse.open({ path: target }, { tables: [EVENTS, REFS] })
    : await (await import('@sneakpipe/connectors/snowflake')).SnowflakeWarehouse.open(JSON.parse(target), { tables: [EVENTS, REFS] });

const eventAt = Date.UTC(2025, 0, 1, 0, 4, 5, 678);
const before = Date.now();
// Two loads with positions: the first stores the partition's position, the second replaces it (UPDATED_AT again).
await warehouse.append({
  tables: [{ table: EVENTS, rows: [['e1', eventAt]] }],
  group: 'tz',
  positions: [{ topic: 'tz-topic', partition: 0, from: null, to: 1 }],
});
await warehouse.insertIfAbsent(REFS, [['r1']]);
// Apart by more than a second, so the second load's UPDATED_AT cannot pass for the first's.
await new Promise((resolve) => setTimeout(resolve, 1_100));
const secondLoadAt = Date.now();
await warehouse.append({
  tables: [{ table: EVENTS, rows: [['e2', eventAt]] }],
  group: 'tz',
  positions: [{ topic: 'tz-topic', partition: 0, from: 1, to: 2 }],
});
const after = Date.now();

/** A timestamp column as the warehouse stores it (its text, a wall clock) and as its driver returns it (ISO). */
const read = async (table, columnName, where = '') =>
  (
    await warehouse.query(
      `SELECT CAST(${columnName} AS VARCHAR) AS STORED, ${columnName} AS VALUE FROM ${warehouse.table(table)} ${where} ORDER BY 1`,
    )
  ).map((r) => ({ stored: r.STORED, read: r.VALUE.toISOString() }));
const tables = {
  TZ_EVENTS: await read('TZ_EVENTS', 'LOADED_AT'),
  TZ_EVENTS_HAPPENED: await read('TZ_EVENTS', 'HAPPENED_AT'),
  TZ_REFS: await read('TZ_REFS', 'LOADED_AT'),
  LOAD_POSITIONS: await read('LOAD_POSITIONS', 'UPDATED_AT', "WHERE TOPIC = 'tz-topic'"),
};
await warehouse.close();

console.log(
  JSON.stringify({
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    offsetMinutes: new Date().getTimezoneOffset(),
    before,
    secondLoadAt,
    after,
    eventAt,
    tables,
  }),
);
