// A process that loads one batch into the Snowflake emulator through the real
// warehouse and is SIGKILLed just before its COMMIT reaches the server: the
// crash between the row insert and the commit. Usage (JSON of a
// SnowflakeConnection as the only argument); prints the statements it sent.
import { SnowflakeWarehouse } from '@sneakpipe/connectors/snowflake';
import { WAREHOUSE_TABLES, OrderEventGenerator, orderEventSink } from '@sneakpipe/sneakers';

const connection = JSON.parse(process.argv[2]);
const warehouse = await SnowflakeWarehouse.open(connection, {
  tables: WAREHOUSE_TABLES,
  onStatement: (sql) => {
    console.log(JSON.stringify(sql));
    if (sql === 'COMMIT') process.kill(process.pid, 'SIGKILL');
  },
});
const generator = new OrderEventGenerator({ seed: 5, start: Date.UTC(2025, 0, 1) });
const batch = Array.from({ length: 50 }, (_, i) => ({
  ok: true,
  value: generator.draw(),
  sizeBytes: 300,
  position: { topic: 'crash-topic', partition: 0, offset: i },
}));
await orderEventSink({ warehouse, group: 'crash-group' }).write(batch);
console.log('committed: the crash did not happen');
