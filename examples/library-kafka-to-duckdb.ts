/**
 * Example: a complete program, from a Kafka topic to a warehouse, with the
 * library only — flow control, exactly-once loads and a clean shutdown.
 *
 *   KAFKA_BOOTSTRAP=localhost:9092 node examples/library-kafka-to-duckdb.ts
 *
 * (Node 24 runs the TypeScript as it is; elsewhere compile it first.) It
 * consumes `KAFKA_TOPIC_NAME` as a member of `KAFKA_GROUP_ID` and loads the
 * order events into the DuckDB file `DUCKDB_PATH`. On SIGTERM or SIGINT it
 * stops fetching, loads and commits everything already handed out, leaves the
 * group, closes the warehouse and exits 0.
 */
// #region program
import { FlowControl } from '@sneakpipe/core';
import { WAREHOUSE_LOCATION, WAREHOUSE_TABLES, orderEventSink, runConsumer } from '@sneakpipe/sneakers';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { openKafkaClient, parseBrokers } from '@sneakpipe/connectors/kafka';

const brokers = parseBrokers(process.env.KAFKA_BOOTSTRAP ?? 'localhost:9092');
const topic = process.env.KAFKA_TOPIC_NAME ?? 'sneaker-orders';
const group = process.env.KAFKA_GROUP_ID ?? 'loader';

// The shop's tables where the CLI keeps them (RETAIL_LAB.STG): `sneakpipe report` and `status` read the same file.
const warehouse = await DuckDbWarehouse.open(
  { path: process.env.DUCKDB_PATH ?? './data/warehouse.duckdb', ...WAREHOUSE_LOCATION },
  { tables: WAREHOUSE_TABLES },
);
// Exactly once: each batch's rows and the group's positions go in one transaction; replayed records are dropped.
const sink = orderEventSink({ warehouse, group });
// Backpressure: the source pauses while 20,000 records are handed out but not yet loaded and committed.
const flow = new FlowControl({ highWater: 20_000 });
const kafka = await openKafkaClient('platformatic', { brokers });
const source = kafka.source({
  topic,
  groupId: group,
  paused: flow.paused$,
  // Assigned partitions resume where the warehouse stands, whatever offsets the group committed.
  resumeFrom: (partitions) => sink.resume(topic, partitions),
});
// A clean shutdown: stop fetching; runConsumer then resolves once all that was handed out is loaded and committed.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void source.stop());

try {
  // Validate (bad records become dead letters) → batch → load with retries → commit what is durable.
  const summary = await runConsumer({
    source,
    sink,
    flow,
    onBatch: (batch) => console.log(`batch: ${batch.items.length} records loaded and committed`),
  });
  console.log(`stopped: ${summary.loaded} events loaded, ${summary.deadLetters} dead letters`);
} finally {
  await source.close(); // leaves the group
  await warehouse.close();
}
// #endregion
