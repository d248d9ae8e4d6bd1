import type { Command } from 'commander';
import { SettingsError, resolveSettings } from '../../config/settings.js';
import type { CommandContext } from '../context.js';
import { defineCommand } from '../define-command.js';
import { filterSettings } from './filter.js';
import { hexDump } from './hex-dump.js';
import { iso, jsonSetting } from './output.js';
import { readTopic } from './read-topic.js';
import { withOps } from './with-ops.js';

/** `sneakpipe dead-letters show <id>`: one dead letter, its bytes as text and hex. */
export function showCommand(context: CommandContext): Command {
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
