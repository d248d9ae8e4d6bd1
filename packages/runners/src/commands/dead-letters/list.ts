import type { Command } from 'commander';
import { z } from 'zod';
import { deadLetterCategory, type DeadLetterSummary } from '@sneakpipe/sneakers';
import { fields, setting } from '@sneakpipe/core';
import { formatInt, formatTable } from '../../format.js';
import type { CommandContext } from '../context.js';
import { defineCommand } from '../define-command.js';
import { filterOf, filterSettings } from './filter.js';
import { clip, iso, jsonSetting } from './output.js';
import { readTopic } from './read-topic.js';
import { withOps } from './with-ops.js';

/** `sneakpipe dead-letters list`: the dead letters a filter selects, with counts by reason (and by replay state, in the warehouse). */
export function listCommand(context: CommandContext): Command {
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
