import { Command } from 'commander';
import type { z } from 'zod';
import { defaultOf, defaultText, describeSettings, settingInfoOf, type SettingInfo } from '@sneakpipe/core';
import { WAREHOUSE_CONNECTORS, kafkaConnector, kafkaTopicSettings } from '@sneakpipe/connectors/settings';
import { logSettings } from '../config/log-settings.js';
import type { Settings } from '../config/settings.js';
import type { CommandContext } from './context.js';
import { settingsOfCommand } from './define-command.js';

/** One setting as the settings reference shows it: its metadata and its default as a user types it (never a secret's). */
export interface SettingEntry extends SettingInfo {
  readonly default?: string;
  /** The connector whose setting this is (its schema, or one wrapping it: `.optional()`, `.default()`), if any. */
  readonly connector?: string;
}

/** Every setting the CLI reads, for tools that document them (scripts/settings-docs.mjs). */
export interface SettingsCatalogue {
  /** The program's own settings, given before the command. */
  readonly global: readonly SettingEntry[];
  /** Each connector's settings by connector name, Kafka's with the topic settings the commands take. */
  readonly connectors: Readonly<Record<string, readonly SettingEntry[]>>;
  /** Every command with settings, subcommands included, in `--help` order, named as typed: `sneakpipe a b`. */
  readonly commands: readonly { readonly name: string; readonly description: string; readonly settings: readonly SettingEntry[] }[];
}

const innerOf = (schema: z.ZodType) => (schema._zod.def as { innerType?: z.ZodType }).innerType;

function entryOf(schema: z.ZodType, connector?: string): SettingEntry {
  const info = settingInfoOf(schema);
  if (!info) throw new Error('a setting without a flag: describe it with setting()');
  const d = defaultOf(schema);
  return { ...info, ...(d && !info.secret ? { default: defaultText(d.value) } : {}), ...(connector ? { connector } : {}) };
}

/** The settings of the program's commands, of the connectors they read, and of the program itself. */
export function settingsCatalogue(program: Command): SettingsCatalogue {
  const schemas: Record<string, z.ZodType[]> = {
    [kafkaConnector.name]: [...describeSettings(kafkaConnector.config).map((d) => d.schema), ...Object.values(kafkaTopicSettings)],
    ...Object.fromEntries(WAREHOUSE_CONNECTORS.map((c) => [c.name, describeSettings(c.config).map((d) => d.schema)])),
  };
  const owners = new Map(Object.entries(schemas).flatMap(([name, list]) => list.map((s) => [s, name] as const)));
  const ownerOf = (schema: z.ZodType) => {
    for (let s: z.ZodType | undefined = schema; s; s = innerOf(s)) if (owners.has(s)) return owners.get(s);
    return undefined;
  };
  const entries = (settings: Settings) => Object.values(settings).map((s) => entryOf(s, ownerOf(s)));
  const commands: SettingsCatalogue['commands'][number][] = [];
  const walk = (command: Command, path: readonly string[]) => {
    for (const sub of command.commands) {
      const name = [...path, sub.name()];
      const settings = settingsOfCommand(sub);
      if (settings) commands.push({ name: name.join(' '), description: sub.description(), settings: entries(settings) });
      walk(sub, name);
    }
  };
  walk(program, [program.name()]);
  return {
    global: entries(logSettings),
    connectors: Object.fromEntries(Object.entries(schemas).map(([name, list]) => [name, list.map((s) => entryOf(s))])),
    commands,
  };
}

/** `sneakpipe settings --json`: the {@link settingsCatalogue} of the program it belongs to (hidden from `--help`: a tool's). */
export function settingsCommand(context: CommandContext): Command {
  return new Command('settings')
    .description('print every setting of every command, with its flag, environment variable and default, as JSON')
    .requiredOption('--json', 'print JSON (the only format)')
    .action((_flags: unknown, command: Command) => {
      let program = command;
      while (program.parent) program = program.parent;
      context.out(JSON.stringify(settingsCatalogue(program), null, 2));
    });
}
