import type { Command } from 'commander';
import { ConsumerMetrics, orderEventSink, type ReceivedOrderEvent, runConsumer } from '@sneakpipe/sneakers';
import { DEFAULT_BATCH, fields, setting, FlowControl, fanOut, type PositionedSink, type Decoded } from '@sneakpipe/core';
import { ownedPartitionLag } from '@sneakpipe/core/metrics';
import { deadLetterSink, deadLetterTopicOf, openKafkaClient } from '@sneakpipe/connectors/kafka';
import { z } from 'zod';
import { fetchSettings, groupSettings, kafkaConnection, kafkaSettings, topicSettings } from '../config/kafka-settings.js';
import { formatInt } from '../format.js';
import { opsSettings } from '../service/ops-settings.js';
import { retryUntil } from '../service/retry-until.js';
import { runService } from '../service/service.js';
import { chosenWarehouse, openWarehouse, warehouseSettings, type DescribedWarehouse } from '../warehouse.js';
import { writeOwnerCard } from '../warehouse-ops/owner-file.js';
import { answerWarehouseOps } from '../warehouse-ops/remote-warehouse-ops.js';
import { localWarehouseOps, logReplayRetries, type WarehouseOps } from '../warehouse-ops/warehouse-ops.js';
import { batchSettings } from '../config/batch-settings.js';
import type { CommandContext } from './context.js';
import { defineCommand } from './define-command.js';
import { applyMemoryMode, memorySettings } from '../config/memory-settings.js';
import { ReportMetrics } from '../reports/report-metrics.js';
import type { ReportScheduler } from '../reports/scheduler.js';
import { logNextRuns, reportScheduler, scheduleSettings } from './schedule.js';

const settings = {
  ...kafkaSettings,
  ...topicSettings,
  ...warehouseSettings,
  ...opsSettings(8002),
  ...memorySettings(),
  ...groupSettings,
  ...fetchSettings,
  ...batchSettings(DEFAULT_BATCH.maxCount),
  ...scheduleSettings,
  loadTimeoutMs: setting(fields.positiveInt().default(60000), {
    flag: 'load-timeout-ms',
    value: 'ms',
    env: 'SNEAKPIPE_LOAD_TIMEOUT_MS',
    description: 'longest wait for one warehouse load before it counts as failed and is retried',
  }),
  scheduleReports: setting(z.enum(['off', 'on', 'duckdb'], { error: 'expected off, on or duckdb' }).default('off'), {
    flag: 'schedule-reports',
    value: 'when',
    env: 'SNEAKPIPE_SCHEDULE_REPORTS',
    description:
      'also run the daily and weekly reports of `sneakpipe schedule` in this process, from the warehouse it loads into, KPI gauges on its /metrics: on, off, or duckdb (only when the warehouse is the DuckDB file, which no other process can open while the consumer holds it)',
  }),
  schemaEvolution: setting(fields.bool.default(false), {
    flag: 'schema-evolution',
    env: 'SNEAKPIPE_SCHEMA_EVOLUTION',
    description:
      'fields producers add become columns of STREAMING_ORDERS, typed from their values and added before the load that first carries them; a value that does not fit its column stays in EXTRA_FIELDS and its row is flagged schema_clash (see `sneakpipe schema`)',
  }),
  exitWhenIdle: setting(fields.positiveInt().optional(), {
    flag: 'exit-when-idle',
    value: 'ms',
    description: 'exit 0 after this long without new records (for scripts and tests)',
  }),
};

/** Rejects if `promise` takes longer than `ms`. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref()),
  ]);
}
const LAG_EVERY_MS = 10_000;
const ASSIGNMENT_EVERY_MS = 500;

/** Where a command on this machine reaches an ops server listening on `host`. */
const loopbackHost = (host: string) =>
  host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

/** `sneakpipe consume`: Kafka → validate → batch → warehouse, committing only what is durable; metrics on :8002. */
export function consumeCommand(context: CommandContext): Command {
  return defineCommand(
    {
      name: 'consume',
      description:
        'Read order events from Kafka as a consumer-group member, load them in batches into the warehouse, and commit offsets only once rows are durable. Invalid records go to <topic>.dlq and DEAD_LETTERS. Serves /metrics, /healthz and /readyz (default port 8002).',
      examples: ['sneakpipe consume --brokers localhost:9092 --group loaders', 'sneakpipe consume --exit-when-idle 10000'],
      settings,
    },
    async (config) => {
      const connection = kafkaConnection(config);
      const { embedded } = chosenWarehouse(config); // a bad warehouse setting stops here, before anything starts
      const log = context.logger();
      const betweenBatches = applyMemoryMode(config, log);
      const kafka = await openKafkaClient(config.kafkaClient, connection, log.child({ component: 'kafka' }));
      const metrics = new ConsumerMetrics();
      const runsReports = config.scheduleReports === 'on' || (config.scheduleReports === 'duckdb' && embedded);
      const reportMetrics = runsReports ? new ReportMetrics(metrics.registry) : undefined;
      // Backpressure: fetching pauses while 4 batches' worth of records are in flight.
      const flow = new FlowControl({ highWater: 4 * config.batchSize });
      // Exactly-once by positions: the sink drops what the warehouse already has, and assigned partitions resume from there.
      let sink: PositionedSink<Decoded<ReceivedOrderEvent>> | undefined;
      const source = kafka.source({
        topic: config.topic,
        groupId: config.group,
        maxBytesPerPartition: config.fetchMaxBytesPerPartition,
        paused: flow.paused$,
        resumeFrom: (partitions) => sink!.resume(config.topic, partitions),
        logger: log.child({ component: 'kafka' }),
      });
      let warehouse: DescribedWarehouse | undefined;
      let warehouseOk = false;
      // The operator commands' way in (dead-letters, status): a DuckDB file opens in one process only, this one.
      let ops: WarehouseOps | undefined;
      await runService(
        {
          name: 'consumer',
          log,
          registry: metrics.registry,
          checks: { broker: () => source.healthy, warehouse: () => warehouseOk },
          api: (method, body) => answerWarehouseOps(ops, method, body),
          ...config,
        },
        async ({ stop$, stopped, port }) => {
          const opened = await retryUntil(
            'opening the warehouse',
            () => openWarehouse(config, { schemaEvolution: config.schemaEvolution }),
            log,
            stopped,
          );
          if (!opened) return;
          warehouse = opened;
          warehouseOk = true;
          ops = localWarehouseOps(opened, {
            describe: () => opened.describe(),
            onReplayed: metrics.replayedDeadLetters,
            onReplayRetry: logReplayRetries(log),
          });
          // Reports from the warehouse this process holds (with DuckDB, no other process can open it).
          let reports: ReportScheduler | undefined;
          let reportsDone: Promise<void> = Promise.resolve();
          if (reportMetrics) {
            const scheduler = reportScheduler(config, log.child({ component: 'reports' }), reportMetrics, (work) => work(opened));
            logNextRuns(scheduler, log);
            reports = scheduler;
            reportsDone = scheduler.run().catch((error: unknown) => log.error({ err: error }, 'report schedule stopped'));
          }
          const dropOwnerCard = embedded
            ? writeOwnerCard(config.duckdbPath, { pid: process.pid, url: `http://${loopbackHost(config.metricsHost)}:${port}` })
            : () => undefined;
          const closeWarehouse = async () => {
            reports?.stop();
            await reportsDone; // a report run in progress finishes before the warehouse closes
            ops = undefined;
            dropOwnerCard();
            await opened.close();
          };
          sink = orderEventSink({
            warehouse,
            group: config.group,
            onSkipped: (dropped) => {
              log.info(
                { skipped: dropped.length, total: sink!.skipped },
                'skipped records the warehouse already has (replayed after a restart or rebalance)',
              );
            },
            onGap: (gap) => log.warn(gap, 'records between the stored position and the first record received never arrived'),
            schemaEvolution: config.schemaEvolution && {
              onColumnAdded: (added) => {
                metrics.schemaEvolution.onColumnAdded(added);
                log.info({ table: added.table, field: added.field, column: added.column.name, type: added.column.type }, 'column added');
              },
              onClash: metrics.schemaEvolution.onClash,
              onAddRefused: ({ table, columns, error }) =>
                log.error(
                  { table, columns, err: error },
                  'the warehouse refused to add columns: their values stay in EXTRA_FIELDS, flagged schema_clash, until a run can add them',
                ),
            },
          });
          const dlq = await retryUntil(
            'connecting to Kafka',
            async () => {
              // The consumer may start before any producer: it creates the topic as a producer would.
              await kafka.ensureTopic({ topic: config.topic, partitions: config.partitions, replicationFactor: config.replicationFactor });
              return kafka.topicSink({
                topic: deadLetterTopicOf(config.topic),
                partitions: 1,
                replicationFactor: config.replicationFactor,
              });
            },
            log,
            stopped,
          );
          if (!dlq) return void (await closeWarehouse());
          const stopping = stop$.subscribe(() => void source.stop());
          log.info(
            { brokers: config.kafkaBrokers, client: kafka.name, topic: config.topic, group: config.group, warehouse: warehouse.describe() },
            'consumer started',
          );
          const exportLag = ownedPartitionLag(metrics.consumerLag, config.topic); // only this member's partitions
          const readLag = () =>
            kafka
              .consumerLag(config.group, config.topic)
              .then((partitions) => exportLag(source.partitions, partitions))
              .catch((error) => log.debug({ err: error }, 'lag check failed'));
          // The lag is read every 10 s, but the exported partitions follow a rebalance within half a second: a member
          // that lost a partition stops exporting it at once, so two members do not report it for seconds.
          // The clock follows the assignment from when it changes, so the idle exit's drained check finds it held
          // already instead of starting to count only when asked.
          const assignment = assignmentClock();
          let lagReadFor = assignment.since(source.partitions);
          let lagReadAt = Date.now();
          const lag = setInterval(() => {
            const since = assignment.since(source.partitions);
            if (since !== lagReadFor || Date.now() - lagReadAt >= LAG_EVERY_MS) {
              lagReadFor = since;
              lagReadAt = Date.now();
              void readLag();
            }
          }, ASSIGNMENT_EVERY_MS);
          try {
            const result = await runConsumer({
              source,
              flow,
              sink: fanOut(sink, deadLetterSink(dlq)),
              batch: { maxCount: config.batchSize, maxWaitMs: config.batchWaitMs },
              logger: log, // each failed load: one warn line with its code, cause and next delay
              exitWhenIdleMs: config.exitWhenIdle,
              loadTimeoutMs: config.loadTimeoutMs,
              // Done when this member is in the group, has held its assignment for a whole idle period, and the group
              // has committed everything (whoever holds the partitions now). Not before it has joined: a member waiting
              // for its first assignment knows nothing yet. Not right after an assignment either: the member first
              // seeks to the warehouse's positions, which may lie below offsets committed by someone else.
              drained: async () =>
                source.healthy &&
                Date.now() - assignment.since(source.partitions) >= config.exitWhenIdle! &&
                (await kafka.consumerLag(config.group, config.topic)).every((p) => p.lag === 0),
              metrics,
              retry: { onRetry: () => void (warehouseOk = false) },
              onBatch: (batch) => {
                warehouseOk = true;
                betweenBatches();
                log.debug(
                  { records: batch.items.length, ms: batch.durationMs, attempts: batch.attempts, committed: batch.committed },
                  'batch loaded',
                );
              },
            });
            // What this run wrote; records it was handed again but the warehouse already had are counted apart.
            log.info({ ...result, peakRss: process.resourceUsage().maxRSS * 1024 }, 'consumer finished');
            const rate = result.busySeconds > 0 ? (result.loaded + result.deadLetters + result.skipped) / result.busySeconds : 0;
            context.out(
              `loaded ${formatInt(result.loaded)} events and ${formatInt(result.deadLetters)} dead letters in ${formatInt(result.batches)} batches (${result.seconds.toFixed(1)} s; ${formatInt(rate)} records/s while busy)${result.skipped > 0 ? `; skipped ${formatInt(result.skipped)} records the warehouse already had` : ''}`,
            );
          } finally {
            clearInterval(lag);
            stopping.unsubscribe();
            // Leaving the group can hang on a broker that just restarted; what matters is committed already.
            await within(5_000, source.close()).catch((error) => log.warn({ err: error }, 'leaving the consumer group failed'));
            await within(5_000, dlq.close()).catch((error) => log.warn({ err: error }, 'closing the dead-letter producer failed'));
            await closeWarehouse();
          }
        },
      );
    },
  );
}

/** Since when the partitions a member owns have been the same, as seen by successive calls. */
function assignmentClock(): { since(partitions: readonly number[]): number } {
  let seen = '';
  let since = Date.now();
  return {
    since(partitions) {
      const key = partitions.join(',');
      if (key !== seen) [seen, since] = [key, Date.now()];
      return since;
    },
  };
}
