import type { Command } from 'commander';
import { EMPTY_SUMMARY, addSummaries, type ReplaySummary } from '@sneakpipe/sneakers';
import { fields, setting } from '@sneakpipe/core';
import { formatInt } from '../../format.js';
import { createProgress, type Progress } from '../../progress.js';
import { logReplayRetries } from '../../warehouse-ops/warehouse-ops.js';
import type { CommandContext } from '../context.js';
import { defineCommand } from '../define-command.js';
import { filterOf, filterSettings } from './filter.js';
import { jsonSetting } from './output.js';
import { readTopic } from './read-topic.js';
import { withOps } from './with-ops.js';

/** `sneakpipe dead-letters replay`: dead letters through today's validation into the warehouse, exactly once. */
export function replayCommand(context: CommandContext): Command {
  const settings = {
    ...filterSettings,
    ...jsonSetting,
    dryRun: setting(fields.bool.default(false), {
      flag: 'dry-run',
      description: 'decide what would load and what would stay a dead letter, write nothing',
    }),
    batchSize: setting(fields.positiveInt().default(1000), { flag: 'batch-size', value: 'n', description: 'dead letters per transaction' }),
  };
  return defineCommand(
    {
      name: 'replay',
      description:
        "Run dead letters through today's validation into the warehouse, exactly once: a now-valid record loads once however often replay runs, crashes or runs twice at once; what still fails stays a dead letter with its new reason. Nothing is deleted: each attempt is recorded in DEAD_LETTER_REPLAYS.",
      examples: [
        'sneakpipe dead-letters replay --reason "unknown brand" --dry-run',
        'sneakpipe dead-letters replay --since 2d',
        'sneakpipe dead-letters replay --source kafka --topic sneaker-orders',
      ],
      settings,
    },
    async (config) => {
      const log = context.logger();
      const filter = filterOf(config, undefined);
      const onReplayRetry = logReplayRetries(log);
      let total: ReplaySummary;
      if (config.source === 'kafka') {
        const found = await readTopic(config, context);
        total = await withOps(
          config,
          async ({ ops }) => {
            let sum = EMPTY_SUMMARY;
            const progress = createProgress('replaying', found.length);
            for (let i = 0; i < found.length; i += config.batchSize) {
              const records = found.slice(i, i + config.batchSize).map((d) => ({
                id: d.id,
                rawBase64: Buffer.from(d.raw).toString('base64'),
                ...(d.position ? { position: d.position } : {}),
              }));
              const s = await ops.replayRecords(records, { dryRun: config.dryRun });
              sum = addSummaries(sum, s);
              progress.update(Math.min(found.length, i + config.batchSize));
              log.debug(sum, 'replay batch committed');
            }
            progress.stop();
            return sum;
          },
          { onReplayRetry },
        );
      } else {
        let progress: Progress | undefined;
        total = await withOps(
          config,
          async ({ ops, via }) => {
            const pending = await ops.counts({ ...filter, state: 'pending' });
            const dead = await ops.counts({ ...filter, state: 'dead' });
            const todo = pending.total + dead.total;
            // Through the consumer the call returns once at the end: no bar, a line that says where it runs.
            if (via === 'owner') log.info({ deadLetters: todo }, 'replaying through the consumer that holds the warehouse file');
            else progress = createProgress('replaying', todo);
            try {
              return await ops.replay(filter, { dryRun: config.dryRun, batchSize: config.batchSize });
            } finally {
              progress?.stop();
            }
          },
          {
            onReplayRetry,
            onReplayProgress: (done) => {
              progress?.update(done.considered);
              log.debug(done, 'replay batch committed');
            },
          },
        );
      }
      log.info({ ...total, dryRun: config.dryRun }, 'dead-letter replay done');
      if (config.json) return context.out(JSON.stringify({ ...total, dryRun: config.dryRun }, null, 2));
      context.out(
        `${config.dryRun ? 'dry run: would load' : 'loaded'} ${formatInt(total.loaded)} of ${formatInt(total.considered)} dead letters; ${formatInt(total.stillDead)} still invalid${config.dryRun ? '' : ' (marked with their new reason)'}`,
      );
    },
  );
}
