/**
 * Example: Kafka → Snowflake with the library API, no CLI.
 *
 * A consumer-group member reads the topic, validates, batches and appends into
 * Snowflake exactly once (the group's positions are stored with the rows;
 * assigned partitions resume from them), committing offsets after each batch
 * is durable, with backpressure. It stops after an idle period.
 */
import { FlowControl, loadPipeline, orderEventCodec, orderEventSink } from '@sneakpipe/core';
import { openKafkaClient } from '@sneakpipe/connectors/kafka';
import { SnowflakeWarehouse, type SnowflakeConnection } from '@sneakpipe/connectors/snowflake';
import { lastValueFrom, tap } from 'rxjs';

export interface KafkaToSnowflakeOptions {
  brokers: string[];
  topic: string;
  groupId: string;
  snowflake: SnowflakeConnection;
  /** Stop after this long without a new batch. */
  idleMs: number;
}

/** Loads the topic into Snowflake until idle; returns how many events were loaded. */
export async function kafkaToSnowflake(options: KafkaToSnowflakeOptions): Promise<number> {
  const warehouse = await SnowflakeWarehouse.open(options.snowflake);
  const sink = orderEventSink({ warehouse, group: options.groupId });
  const flow = new FlowControl({ highWater: 2_000 });
  const kafka = await openKafkaClient('platformatic', { brokers: options.brokers });
  const source = kafka.source({
    topic: options.topic,
    groupId: options.groupId,
    paused: flow.paused$,
    resumeFrom: (partitions) => sink.resume(options.topic, partitions),
  });
  let loaded = 0;
  let last = Date.now();
  const idle = setInterval(() => Date.now() - last > options.idleMs && void source.stop(), 250);
  try {
    await lastValueFrom(
      loadPipeline({ source, codec: orderEventCodec, sink, flow, batch: { maxCount: 500, maxWaitMs: 500 } }).pipe(
        tap((b) => {
          loaded += b.items.length;
          last = Date.now();
        }),
      ),
      { defaultValue: undefined },
    );
    return loaded;
  } finally {
    clearInterval(idle);
    await source.close();
    await warehouse.close();
  }
}
