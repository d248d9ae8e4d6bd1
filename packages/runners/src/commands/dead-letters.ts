import { Command } from 'commander';
import { z } from 'zod';
import {
  EMPTY_SUMMARY,
  addSummaries,
  deadLetterCategory,
  type DeadLetterFilter,
  type DeadLetterSummary,
  type ReplaySummary,
} from '@sneakpipe/sneakers';
import { fields, setting } from '@sneakpipe/core';
import { openKafkaClient } from '@sneakpipe/connectors/kafka';
import { kafkaConnection, kafkaSettings } from '../config/kafka-settings.js';
import { SettingsError, resolveSettings, type SettingsValues } from '../config/settings.js';
import { formatInt, formatTable } from '../format.js';
import { createProgress, type Progress } from '../progress.js';
import { warehouseSettings } from '../warehouse.js';
import { readDeadLetterTopic, type TopicDeadLetter } from '../warehouse-ops/dead-letter-topic.js';
import { openWarehouseOps, type OpenedOps } from '../warehouse-ops/open-warehouse-ops.js';
import { logReplayRetries, type LocalOpsOptions } from '../warehouse-ops/warehouse-ops.js';
import type { CommandContext } from './context.js';
import { defineCommand } from './define-command.js';

/** `2025-01-31`, `2025-01-31T08:00:00Z`, or an age: `90m`, `6h`, `2d` (ago). */
const time = z.string().transform((text, ctx) => {
  const age = /^(\d+)\s*([smhd])$/.exec(text.trim());
  if (age) return Date.now() - Number(age[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[age[2] as 's' | 'm' | 'h' | 'd'];
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: 'expected a date/time (2025-01-31, 2025-01-31T08:00:00Z) or an age (90m, 6h, 2d)' });
    return z.NEVER;
  }
  return ms;
});

// `--topic` is a filter here; the topic setting (KAFKA_TOPIC_NAME, its rule and default) names the one read by default.
const { topic: sourceTopic, ...kafkaConnectionSettings } = kafkaSettings;

/** Which dead letters: every filter optional. */
const filterSettings = {
  reason: setting(z.string().min(1).optional(), {
    flag: 'reason',
    value: 'text',
    description: 'only those whose reason contains this text (case-insensitive), e.g. schema, "unknown brand", "invalid JSON"',
  }),
  since: setting(time.optional(), {
    flag: 'since',
    value: 'time',
    description: 'only those that failed at or after this time (date, date-time, or an age such as 6h)',
  }),
  until: setting(time.optional(), { flag: 'until', value: 'time', description: 'only those that failed before this time' }),
  topic: setting(z.string().min(1).optional(), {
    flag: 'topic',
    value: 'name',
    description:
      'only those from this source topic (with --source kafka: the topic whose <topic>.dlq is read; default KAFKA_TOPIC_NAME or sneaker-orders)',
  }),
  partition: setting(z.coerce.number().int().min(0).optional(), {
    flag: 'partition',
    value: 'n',
    description: 'only those from this source partition',
  }),
  source: setting(z.enum(['warehouse', 'kafka'], { error: 'expected warehouse or kafka' }).default('warehouse'), {
    flag: 'source',
    value: 'where',
    description: 'read the DEAD_LETTERS table (warehouse) or the <topic>.dlq topic (kafka)',
  }),
  ...kafkaConnectionSettings,
  ...warehouseSettings,
};

const jsonSetting = {
  json: setting(fields.bool.default(false), { flag: 'json', description: 'print JSON (for scripts) instead of a table' }),
};

type FilterValues = SettingsValues<typeof filterSettings>;

function filterOf(config: FilterValues, state?: DeadLetterFilter['state']): DeadLetterFilter {
  return {
    ...(config.reason !== undefined ? { reason: config.reason } : {}),
    ...(config.since !== undefined ? { since: config.since } : {}),
    ...(config.until !== undefined ? { until: config.until } : {}),
    ...(config.topic !== undefined ? { topic: config.topic } : {}),
    ...(config.partition !== undefined ? { partition: config.partition } : {}),
    ...(state !== undefined ? { state } : {}),
  };
}

/** The `<topic>.dlq` records matching a filter (state is not known from the topic alone). */
function matches(d: TopicDeadLetter, f: DeadLetterFilter): boolean {
  return (
    (f.reason === undefined || d.reason.toLowerCase().includes(f.reason.toLowerCase())) &&
    (f.since === undefined || d.failedAt >= f.since) &&
    (f.until === undefined || d.failedAt < f.until) &&
    (f.partition === undefined || d.position?.partition === f.partition)
  );
}

async function readTopic(config: FilterValues, context: CommandContext): Promise<TopicDeadLetter[]> {
  const topic = config.topic ?? resolveSettings({ sourceTopic }, {}).sourceTopic;
  const kafka = await openKafkaClient(config.kafkaClient, kafkaConnection(config), context.logger().child({ component: 'kafka' }));
  const filter = filterOf({ ...config, topic: undefined });
  return (await readDeadLetterTopic(kafka, topic)).filter((d) => matches(d, filter));
}

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().replace('.000Z', 'Z'));
const where = (d: { topic: string | null; partition: number | null; offset: number | null }) =>
  d.topic === null ? '(no position)' : `${d.topic}/${d.partition}@${d.offset}`;
const clip = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/** Opens the warehouse's operations for a command and always lets go of them. */
async function withOps<T>(
  config: SettingsValues<typeof warehouseSettings>,
  work: (opened: OpenedOps) => Promise<T>,
  options: Omit<LocalOpsOptions, 'describe'> = {},
): Promise<T> {
  const opened = await openWarehouseOps(config, options);
  try {
    return await work(opened);
  } finally {
    await opened.close();
  }
}

function listCommand(context: CommandContext): Command {
  const settings = {
    ...filterSettings,
    ...jsonSetting,
    state: setting(z.enum(['pending', 'loaded', 'dead']).optional(), {
      flag: 'state',
      value: 'state',
      description: 'only pending (never replayed), loaded (by a replay) or dead (replayed, still invalid)',
    }),
    limit: setting(fields.positiveInt().default(50), {
      flag: 'limit',
      value: 'n',
      description: 'most dead letters to list (counts cover them all)',
    }),
  };
  return defineCommand(
    {
      name: 'list',
      description:
        'List dead letters, oldest first, with counts by reason and by replay state. Works beside a running consumer (through it, for a DuckDB file it holds).',
      examples: [
        'sneakpipe dead-letters list --since 6h',
        'sneakpipe dead-letters list --reason "unknown brand" --json',
        'sneakpipe dead-letters list --source kafka --topic sneaker-orders',
      ],
      settings,
    },
    async (config) => {
      if (config.source === 'kafka') {
        const found = await readTopic(config, context);
        const byReason: Record<string, number> = {};
        for (const d of found) {
          const category = deadLetterCategory(d);
          byReason[category] = (byReason[category] ?? 0) + 1;
        }
        const shown = found.slice(0, config.limit);
        if (config.json)
          return context.out(
            JSON.stringify({ total: found.length, byReason, deadLetters: shown.map(({ raw: _raw, ...d }) => d) }, null, 2),
          );
        context.out(`${formatInt(found.length)} dead letters in the dead-letter topic`);
        return context.out(
          formatTable(
            ['id', 'failed at', 'reason'],
            shown.map((d) => [d.id, iso(d.failedAt), clip(d.reason, 80)]),
          ),
        );
      }
      await withOps(config, async ({ ops }) => {
        const filter = filterOf(config, config.state);
        const [counts, items] = await Promise.all([ops.counts(filter), ops.list(filter, config.limit)]);
        if (config.json) return context.out(JSON.stringify({ ...counts, deadLetters: items }, null, 2));
        context.out(
          `${formatInt(counts.total)} dead letters (${formatInt(counts.byState.pending)} pending, ${formatInt(counts.byState.loaded)} loaded by a replay, ${formatInt(counts.byState.dead)} still invalid) in ${await ops.describe()}`,
        );
        if (counts.total > 0)
          context.out(
            formatTable(
              ['reason', 'count'],
              Object.entries(counts.byReason).map(([r, n]) => [r, formatInt(n)]),
            ),
          );
        if (items.length > 0)
          context.out(
            formatTable(
              ['id', 'failed at', 'state', 'reason'],
              items.map((d: DeadLetterSummary) => [d.id, iso(d.failedAt), d.state, clip(d.reason, 80)]),
            ),
          );
        if (items.length < counts.total) context.out(`(showing ${items.length}; --limit for more)`);
      });
    },
  );
}

/** Bytes as `offset  hex  ascii` lines, 16 per line. */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const chunk = [...bytes.subarray(i, i + 16)];
    const hex = chunk.map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = chunk.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${i.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return lines.join('\n');
}

function showCommand(context: CommandContext): Command {
  const { source, ...rest } = filterSettings;
  const settings = { source, ...rest, ...jsonSetting };
  const command = defineCommand(
    {
      name: 'show',
      description:
        'Show one dead letter: its reason, source position, replays, and the original bytes as text and hex. ID is topic:partition:offset (as listed).',
      examples: ['sneakpipe dead-letters show sneaker-orders:2:1041', 'sneakpipe dead-letters show sneaker-orders:2:1041 --json'],
      settings,
    },
    async () => undefined,
  );
  return command
    .argument('<id>', 'the dead letter id, e.g. sneaker-orders:2:1041')
    .action(async (id: string, flags: Record<string, unknown>) => {
      const config = resolveSettings(settings, flags);
      let shown: { id: string; reason: string; failedAt: number; raw: Uint8Array; extra: Record<string, unknown> } | undefined;
      if (config.source === 'kafka') {
        const found = (await readTopic(config, context)).find((d) => d.id === id);
        if (found)
          shown = {
            id,
            reason: found.reason,
            failedAt: found.failedAt,
            raw: found.raw,
            extra: { position: found.position ?? null, dlqOffset: found.dlqOffset },
          };
      } else {
        await withOps(config, async ({ ops }) => {
          const d = await ops.show(id);
          if (!d) return;
          const { rawBase64, reason, failedAt, ...extra } = d;
          shown = { id, reason, failedAt, raw: new Uint8Array(Buffer.from(rawBase64, 'base64')), extra };
        });
      }
      if (!shown) throw new SettingsError(`no dead letter with id ${id}`);
      const text = new TextDecoder('utf-8', { fatal: false }).decode(shown.raw);
      if (config.json) {
        return context.out(
          JSON.stringify(
            {
              id,
              reason: shown.reason,
              failedAt: shown.failedAt,
              ...shown.extra,
              text,
              rawBase64: Buffer.from(shown.raw).toString('base64'),
            },
            null,
            2,
          ),
        );
      }
      context.out(
        [
          `id         ${id}`,
          `reason     ${shown.reason}`,
          `failed at  ${iso(shown.failedAt)}`,
          ...Object.entries(shown.extra).map(([k, v]) => `${k.padEnd(10)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`),
          `bytes      ${shown.raw.byteLength}`,
          '',
          'as text (invalid UTF-8 shown as �):',
          text,
          '',
          'as hex:',
          hexDump(shown.raw),
        ].join('\n'),
      );
    });
}

function replayCommand(context: CommandContext): Command {
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

/** `sneakpipe dead-letters list | show | replay`. */
export function deadLettersCommand(context: CommandContext): Command {
  return new Command('dead-letters')
    .description(
      "Act on dead letters (records that failed validation): list them, show one with its bytes, replay them through today's validation exactly once.",
    )
    .addCommand(listCommand(context))
    .addCommand(showCommand(context))
    .addCommand(replayCommand(context));
}
