import { fields, setting } from '@sneakpipe/core';
import type { Command } from 'commander';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { DEMO_BATCH_COUNT, WAREHOUSE_LOCATION, WAREHOUSE_TABLES, runEmbeddedDemo } from '@sneakpipe/sneakers';
import { formatInt, formatTopBrands } from '../format.js';
import { createProgress } from '../progress.js';
import { batchSettings } from '../config/batch-settings.js';
import { seedSetting } from '../config/generator-settings.js';
import type { CommandContext } from './context.js';
import { defineCommand } from './define-command.js';
import { duckdbSettings } from '../warehouse.js';
import { applyMemoryMode, memorySettings } from '../config/memory-settings.js';

const settings = {
  ...memorySettings({ heapBudgetMb: 0 }),
  events: setting(fields.positiveInt().default(100000), { flag: 'events', value: 'n', description: 'events to generate' }),
  rate: setting(fields.positiveNumber().optional(), {
    flag: 'rate',
    value: 'events-per-second',
    description: 'generation rate (default: as fast as possible)',
  }),
  seed: seedSetting,
  // The demo's warehouse is always a DuckDB file it creates (never Snowflake): the DuckDB connector's settings only.
  ...duckdbSettings,
  ...batchSettings(DEMO_BATCH_COUNT),
};

/** `sneakpipe demo`: the whole pipeline in one process, no Kafka or Snowflake needed. */
export function demoCommand(context: CommandContext): Command {
  return defineCommand(
    {
      name: 'demo',
      description:
        'Run the whole pipeline in one process: generate orders, stream them through the in-process broker, load them into DuckDB, and print a summary.',
      examples: ['sneakpipe demo --events 1000000 --warehouse ./data/warehouse.duckdb'],
      settings,
    },
    async (config) => {
      const log = context.logger();
      const betweenBatches = applyMemoryMode(config, log);
      log.info({ events: config.events, rate: config.rate ?? 'max', warehouse: config.duckdbPath, seed: config.seed }, 'demo starting');
      const progress = createProgress('demo', config.events);
      const warehouse = await DuckDbWarehouse.open(
        { path: config.duckdbPath, memoryLimit: config.duckdbMemoryLimit, ...WAREHOUSE_LOCATION },
        { tables: WAREHOUSE_TABLES },
      );
      const summary = await runEmbeddedDemo({
        events: config.events,
        rate: config.rate,
        seed: config.seed,
        warehouse,
        batchMaxCount: config.batchSize,
        batchMaxWaitMs: config.batchWaitMs,
        logger: log,
        onProgress: ({ loaded, deadLetters }) => {
          progress.update(loaded + deadLetters);
          betweenBatches();
        },
      }).finally(async () => {
        progress.stop();
        await warehouse.close();
      });
      // Where the work ran: the producer and DuckDB each on a thread of their own, unless their entry scripts are missing.
      log.info({ ...summary, topBrands: undefined, duckdbOnOwnThread: warehouse.onOwnThread }, 'demo finished');
      context.out(
        [
          '',
          `events produced     ${formatInt(summary.produced)}`,
          `rows loaded         ${formatInt(summary.loaded)}${summary.skipped > 0 ? `  (${formatInt(summary.skipped)} already in the warehouse, skipped)` : ''}`,
          `dead letters        ${formatInt(summary.deadLetters)}`,
          `rows in warehouse   ${formatInt(summary.rowsInWarehouse)}  (${config.duckdbPath})`,
          `batches             ${formatInt(summary.batches)}`,
          `throughput          ${formatInt(summary.eventsPerSecond)} events/s over ${summary.seconds.toFixed(2)} s`,
          `peak memory (RSS)   ${formatInt(summary.peakRssBytes / 1024 / 1024)} MB`,
          '',
          'Top 5 brands by revenue, last 24 hours (orders created):',
          formatTopBrands(summary.topBrands),
          '',
        ].join('\n'),
      );
    },
  );
}
