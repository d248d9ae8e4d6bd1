// A process that loads one batch into the Snowflake emulator through the real
// warehouse and is SIGKILLed just before its COMMIT reaches the server: the
// crash between the row insert and the commit. Usage (JSON of a
// SnowflakeConnection as the only argument); prints the statements it sent.
import { column, positionedSink } from '@sneakpipe/core';
import { SnowflakeWarehouse } from '@sneakpipe/connectors/snowflake';

/** An append-only table of its own (the generic tables of generic-warehouse.ts are TypeScript, this runs on the build). */
const PAYMENTS = {
  name: 'PAYMENTS',
  description: 'append-only',
  columns: [column('PAYMENT_ID', 'text'), column('AMOUNT', 'money'), column('LOADED_AT', 'timestamp', { default: 'now' })],
};

const connection = JSON.parse(process.argv[2]);
const warehouse = await SnowflakeWarehouse.open(connection, {
  tables: [PAYMENTS],
  onStatement: (sql) => {
    console.log(JSON.stringify(sql));
    if (sql === 'COMMIT') process.kill(process.pid, 'SIGKILL');
  },
});
const batch = Array.from({ length: 50 }, (_, i) => ({
  ok: true,
  value: { paymentId: `crash-${i}`, amount: i + 0.99 },
  sizeBytes: 100,
  position: { topic: 'crash-topic', partition: 0, offset: i },
}));
const rows = (items) => [{ table: PAYMENTS, rows: items.map((item) => [item.value.paymentId, item.value.amount]) }];
await positionedSink({ warehouse, group: 'crash-group', rows }).write(batch);
console.log('committed: the crash did not happen');
