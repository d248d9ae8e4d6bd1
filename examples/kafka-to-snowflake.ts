/**
 * Example: Kafka → Snowflake with the library API, no CLI.
 *
 * A consumer-group member reads the topic and hands it to the shop's consumer
 * pipeline (`runConsumer`: validate, batch, append into Snowflake exactly once
 * with the group's positions stored with the rows, commit offsets after each
 * batch is durable, backpressure through `FlowControl`). Assigned partitions
 * resume from the positions the warehouse stored. It stops once idle and
 * drained: this member has joined its group and the group's lag is 0.
 *
 * The connection's `loadMethod` chooses how loads reach the tables:
 * `transactional` (default, a transaction per load on a virtual warehouse) or
 * `streaming` (Snowpipe Streaming, serverless, with a key pair): the same
 * pipeline, exactly once either way.
 */
import { FlowControl } from '@sneakpipe/core';
import { WAREHOUSE_TABLES, orderEventSink, runConsumer } from '@sneakpipe/sneakers';
import { openKafkaClient } from '@sneakpipe/connectors/kafka';
import { openWarehouse } from '@sneakpipe/connectors/settings';
import type { SnowflakeConnection } from '@sneakpipe/connectors/snowflake';

export interface KafkaToSnowflakeOptions {
  brokers: string[];
  topic: string;
  groupId: string;
  snowflake: SnowflakeConnection;
  /** Stop after this long without a new record, once nothing is left to read. */
  idleMs: number;
}

/** Loads the topic into Snowflake until idle and drained; returns how many events were loaded. */
export async function kafkaToSnowflake(options: KafkaToSnowflakeOptions): Promise<number> {
  const warehouse = await openWarehouse('snowflake', options.snowflake, { tables: WAREHOUSE_TABLES });
  const sink = orderEventSink({ warehouse, group: options.groupId });
  const flow = new FlowControl({ highWater: 2_000 });
  const kafka = await openKafkaClient('platformatic', { brokers: options.brokers });
  const source = kafka.source({
    topic: options.topic,
    groupId: options.groupId,
    paused: flow.paused$,
    resumeFrom: (partitions) => sink.resume(options.topic, partitions),
  });
  try {
    const summary = await runConsumer({
      source,
      sink,
      flow,
      batch: { maxCount: 500, maxWaitMs: 500 },
      exitWhenIdleMs: options.idleMs,
      // Idle is not done before this member has joined and the group has committed everything.
      drained: async () => source.healthy && (await kafka.consumerLag(options.groupId, options.topic)).every((p) => p.lag === 0),
    });
    return summary.loaded;
  } finally {
    await source.close();
    await warehouse.close();
  }
}
