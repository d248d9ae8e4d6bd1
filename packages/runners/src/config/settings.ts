import { Option, type Command } from 'commander';
import { ConfigError } from '@sneakpipe/core';
import type { z } from 'zod';

/**
 * One setting of a command: its flag, optional environment variable, schema
 * and default. Commands declare their settings as data; {@link addSettings}
 * turns them into `--help`-documented flags and {@link resolveSettings} reads
 * flag > environment > default and validates with zod.
 */
export interface Setting<T = unknown> {
  /** Flag name without dashes, e.g. `events` for `--events <value>`. */
  readonly flag: string;
  /** Placeholder shown in `--help`, e.g. `n`. Omit for a boolean switch. */
  readonly value?: string;
  readonly env?: string;
  readonly schema: z.ZodType<T>;
  readonly default?: string;
  readonly description: string;
  /** Never echo the value (passwords, passphrases). */
  readonly secret?: boolean;
}

/**
 * A bad setting of a command: its message is the single line the CLI prints
 * (exit 2). A {@link ConfigError} (code `CONFIG_INVALID`, never retried).
 */
export class SettingsError extends ConfigError {
  override readonly name: string = 'SettingsError';
}

/** The settings' values, keyed by flag name in camelCase. */
export type SettingsValues<S extends Record<string, Setting>> = { [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

/** Adds each setting to a command as an option with its help text. */
export function addSettings(command: Command, settings: Record<string, Setting>): Command {
  for (const s of Object.values(settings)) {
    const flags = s.value ? `--${s.flag} <${s.value}>` : `--${s.flag}`;
    const extra = [s.env && `env ${s.env}`, s.default !== undefined && !s.secret && `default ${s.default}`].filter(Boolean).join(', ');
    command.addOption(new Option(flags, extra ? `${s.description} (${extra})` : s.description));
  }
  return command;
}

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Reads every setting (flag, then environment, then default), validates it,
 * and throws a {@link SettingsError} naming the first bad one — never with the
 * value of a secret.
 */
export function resolveSettings<S extends Record<string, Setting>>(
  settings: S,
  flags: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): SettingsValues<S> {
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(settings)) {
    const fromFlag = flags[camel(s.flag)];
    const fromEnv = s.env ? env[s.env] : undefined;
    const raw = fromFlag ?? (fromEnv === '' ? undefined : fromEnv) ?? s.default;
    const result = s.schema.safeParse(raw);
    if (!result.success) {
      const where = fromFlag !== undefined ? `--${s.flag}` : fromEnv ? `${s.env}` : `--${s.flag}${s.env ? ` (or ${s.env})` : ''}`;
      const got = raw === undefined ? 'nothing' : s.secret ? 'a value that is not shown' : JSON.stringify(raw);
      const expected = result.error.issues[0]?.message ?? 'a valid value';
      throw new SettingsError(`invalid setting ${where}: ${expected}; got ${got}`);
    }
    out[key] = result.data;
  }
  return out as SettingsValues<S>;
}
