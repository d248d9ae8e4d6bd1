import type { Command } from 'commander';
import { fields, setting } from '@sneakpipe/core';
import { ProducerMetrics, runProducer } from '@sneakpipe/sneakers';
import { openKafkaClient, type KafkaTopicSink } from '@sneakpipe/connectors/kafka';
import { compressionSettings, kafkaConnection, kafkaSettings, topicSettings } from '../config/kafka-settings.js';
import { formatInt } from '../format.js';
import { createProgress } from '../progress.js';
import { opsSettings } from '../service/ops-settings.js';
import { retryUntil } from '../service/retry-until.js';
import { runService } from '../service/service.js';
import { seedSetting } from '../config/generator-settings.js';
import type { CommandContext } from './context.js';
import { defineCommand } from './define-command.js';
import { applyMemoryMode, memorySettings } from '../config/memory-settings.js';

const settings = {
  ...kafkaSettings,
  ...topicSettings,
  ...opsSettings(8001),
  ...memorySettings({ heapBudgetMb: 0 }),
  count: setting(fields.positiveInt().optional(), {
    flag: 'count',
    value: 'n',
    description: 'events to send (default: until SIGINT/SIGTERM)',
  }),
  rate: setting(fields.positiveNumber().optional(), {
    flag: 'rate',
    value: 'events-per-second',
    description: 'send rate (default: as fast as possible)',
  }),
  seed: seedSetting,
  batchSize: setting(fields.positiveInt().default(2000), { flag: 'batch-size', value: 'n', description: 'records per publish request' }),
  ...compressionSettings,
  lingerMs: setting(fields.nonNegativeInt().default(20), {
    flag: 'linger-ms',
    value: 'ms',
    description: 'longest wait to fill a publish request',
  }),
};

const SUMMARY_EVERY_MS = 30_000;

/** `sneakpipe produce`: generated order events → Kafka, with metrics on :8001. */
export function produceCommand(context: CommandContext): Command {
  return defineCommand(
    {
      name: 'produce',
      description:
        'Generate realistic order events and publish them to a Kafka topic (created if absent), keyed by order. Serves /metrics, /healthz and /readyz (default port 8001).',
      examples: ['sneakpipe produce --brokers localhost:9092 --rate 100', 'KAFKA_BOOTSTRAP=localhost:9092 sneakpipe produce --count 50000'],
      settings,
    },
    async (config) => {
      const connection = kafkaConnection(config);
      const log = context.logger();
      const betweenBatches = applyMemoryMode(config, log);
      const kafka = await openKafkaClient(config.kafkaClient, connection, log.child({ component: 'kafka' }));
      const metrics = new ProducerMetrics();
      let sink: KafkaTopicSink | undefined;
      await runService(
        { name: 'producer', log, registry: metrics.registry, checks: { broker: () => sink?.healthy ?? false }, ...config },
        async ({ stop$, stopped }) => {
          sink = await retryUntil(
            'connecting to Kafka',
            () =>
              kafka.topicSink({
                topic: config.topic,
                partitions: config.partitions,
                replicationFactor: config.replicationFactor,
                compression: config.kafkaCompression,
              }),
            log,
            stopped,
          );
          if (!sink) return;
          log.info(
            {
              brokers: config.kafkaBrokers,
              client: kafka.name,
              topic: config.topic,
              count: config.count ?? 'until stopped',
              rate: config.rate ?? 'max',
            },
            'producer started',
          );
          const progress = createProgress('produce', config.count ?? 0, config.count !== undefined && process.stderr.isTTY === true);
          const started = Date.now();
          let sent = 0;
          const summary = setInterval(
            () => log.info({ sent, perMinute: Math.round((sent / (Date.now() - started)) * 60_000) }, 'producer progress'),
            SUMMARY_EVERY_MS,
          );
          try {
            sent = await runProducer({
              sink,
              count: config.count,
              rate: config.rate,
              seed: config.seed,
              batchSize: config.batchSize,
              lingerMs: config.lingerMs,
              metrics,
              stop$,
              logger: log, // each retried publish: one warn line
              onBatch: (batch) => {
                sent += batch.items.length;
                progress.update(sent);
                betweenBatches();
                log.debug({ records: batch.items.length, attempts: batch.attempts, ms: batch.durationMs }, 'batch published');
              },
            });
          } finally {
            clearInterval(summary);
            progress.stop();
            await sink.close();
          }
          const seconds = (Date.now() - started) / 1000;
          log.info({ sent, seconds, eventsPerSecond: Math.round(sent / seconds) }, 'producer finished');
          context.out(
            `sent ${formatInt(sent)} events to ${config.topic} in ${seconds.toFixed(1)} s (${formatInt(sent / seconds)} events/s)`,
          );
        },
      );
    },
  );
}
