import { Command } from 'commander';
import { ConsumerMetrics, FlowControl, fanOut } from '@sneakpipe/core';
import { KafkaSource, KafkaTopicSink, createKafkaClient, deadLetterSink, deadLetterTopicOf } from '@sneakpipe/connectors/kafka';
import { kafkaConnection, kafkaSettings } from '../config/kafka-settings.js';
import { nonEmpty, nonNegativeInt, positiveInt } from '../config/schemas.js';
import { addSettings, resolveSettings, type Setting } from '../config/settings.js';
import { formatInt } from '../format.js';
import { runConsumer } from '../pipelines/consume.js';
import { shutdownSignal } from '../shutdown.js';
import { openWarehouse, warehouseSettings } from '../warehouse.js';
import type { CommandContext } from './context.js';

const settings = {
  ...kafkaSettings,
  ...warehouseSettings,
  group: {
    flag: 'group',
    value: 'id',
    env: 'KAFKA_GROUP_ID',
    schema: nonEmpty('a consumer group id'),
    default: 'sneakpipe-loader',
    description: 'consumer group: consumers in one group share the partitions',
  },
  batchSize: { flag: 'batch-size', value: 'n', schema: positiveInt(), default: '5000', description: 'most events per warehouse load' },
  batchWaitMs: {
    flag: 'batch-wait-ms',
    value: 'ms',
    schema: nonNegativeInt(),
    default: '1000',
    description: 'longest time an event waits for its batch',
  },
  exitWhenIdle: {
    flag: 'exit-when-idle',
    value: 'ms',
    schema: positiveInt().optional(),
    description: 'exit 0 after this long without new records (for scripts and tests)',
  },
} satisfies Record<string, Setting>;

/** `sneakpipe consume`: Kafka → validate → batch → warehouse, committing only what is durable. */
export function consumeCommand(context: CommandContext): Command {
  const command = new Command('consume')
    .description(
      'Read order events from Kafka as a consumer-group member, load them in batches into the warehouse, and commit offsets only once rows are durable. Invalid records go to <topic>.dlq and DEAD_LETTERS.',
    )
    .addHelpText('after', '\nExamples:\n  $ sneakpipe consume --brokers localhost:9092 --group loaders\n  $ sneakpipe consume --exit-when-idle 10000');
  addSettings(command, settings);
  return command.action(async (flags: Record<string, unknown>) => {
    const config = resolveSettings(settings, flags);
    const connection = kafkaConnection(config);
    const log = context.logger();
    const kafka = createKafkaClient(connection, log.child({ component: 'kafka' }));
    const warehouse = await openWarehouse(config);
    const dlq = await KafkaTopicSink.connect({ kafka, topic: deadLetterTopicOf(config.topic), partitions: 1 });
    const metrics = new ConsumerMetrics();
    const shutdown = shutdownSignal(log);
    // Backpressure: fetching pauses while 4 batches' worth of records are in flight.
    const flow = new FlowControl({ highWater: 4 * config.batchSize });
    const source = new KafkaSource({
      kafka,
      topic: config.topic,
      groupId: config.group,
      paused: flow.paused$,
      logger: log.child({ component: 'kafka' }),
    });
    const stopping = shutdown.stop$.subscribe(() => void source.stop());
    log.info({ brokers: config.brokers, topic: config.topic, group: config.group, warehouse: warehouse.describe() }, 'consumer started');
    const started = Date.now();
    try {
      const summary = await runConsumer({
        source,
        flow,
        sink: fanOut(warehouse, deadLetterSink(dlq)),
        batchMaxCount: config.batchSize,
        batchMaxWaitMs: config.batchWaitMs,
        exitWhenIdleMs: config.exitWhenIdle,
        metrics,
        onRetry: (error, attempt, delayMs) => log.warn({ err: error, attempt, delayMs }, 'warehouse load failed, retrying'),
        onBatch: (batch) => log.debug({ records: batch.items.length, ms: batch.durationMs, committed: batch.committed }, 'batch loaded'),
      });
      const seconds = (Date.now() - started) / 1000;
      log.info({ ...summary, seconds }, 'consumer finished');
      const rate = summary.busySeconds > 0 ? (summary.loaded + summary.deadLetters) / summary.busySeconds : 0;
      context.out(
        `loaded ${formatInt(summary.loaded)} events and ${formatInt(summary.deadLetters)} dead letters in ${formatInt(summary.batches)} batches (${seconds.toFixed(1)} s; ${formatInt(rate)} records/s while busy)`,
      );
    } finally {
      stopping.unsubscribe();
      shutdown.dispose();
      await source.close().catch((error) => log.warn({ err: error }, 'leaving the consumer group failed'));
      await dlq.close();
      await warehouse.close();
    }
  });
}
