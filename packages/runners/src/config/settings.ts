import { Option, type Command } from 'commander';
import { z } from 'zod';
import { ConfigError, describeSettings, defaultOf, defaultText, settingInfoOf, type Described, type SettingInfo } from '@sneakpipe/core';

/**
 * A command's settings: field schemas described with `setting` (flag,
 * environment variable, help; the schema holds the rules and the default),
 * keyed by the name the command's action reads. {@link addSettings} turns them
 * into `--help`-documented flags and {@link resolveSettings} reads flag >
 * environment > default and validates each.
 */
export type Settings = Record<string, z.ZodType>;

/**
 * A bad setting of a command: its message is the single line the CLI prints
 * (exit 2). A {@link ConfigError} (code `CONFIG_INVALID`, never retried).
 */
export class SettingsError extends ConfigError {
  override readonly name: string = 'SettingsError';
}

/** The settings' validated values, by key. */
export type SettingsValues<S extends Settings> = { [K in keyof S]: z.output<S[K]> };

function infoOf(key: string, schema: z.ZodType): SettingInfo {
  const info = settingInfoOf(schema);
  if (!info) throw new Error(`setting ${key} has no flag: describe it with setting()`);
  return info;
}

/** Adds each setting to a command as an option with its help text: `description (env NAME, default VALUE)`. */
export function addSettings(command: Command, settings: Settings): Command {
  for (const [key, schema] of Object.entries(settings)) {
    const s = infoOf(key, schema);
    const d = defaultOf(schema);
    const flags = s.value ? `--${s.flag} <${s.value}>` : `--${s.flag}`;
    const extra = [s.env && `env ${s.env}`, d && !s.secret && `default ${defaultText(d.value)}`].filter(Boolean).join(', ');
    command.addOption(new Option(flags, extra ? `${s.description} (${extra})` : s.description));
  }
  return command;
}

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** How a setting is named in a message: where its value came from, or where it could come from. */
const whereOf = (s: SettingInfo, from?: 'flag' | 'env') =>
  from === 'flag' ? `--${s.flag}` : from === 'env' ? `${s.env}` : `--${s.flag}${s.env ? ` (or ${s.env})` : ''}`;

const gotOf = (s: SettingInfo, raw: unknown) =>
  raw === undefined ? 'nothing' : s.secret ? 'a value that is not shown' : JSON.stringify(raw);

/**
 * Reads every setting (flag, then environment, then the schema's default),
 * validates it with its own schema, and throws a {@link SettingsError} naming
 * the first bad one — never with the value of a secret. Rules between
 * settings are their connector's: see {@link connectorSettings}.
 */
export function resolveSettings<S extends Settings>(
  settings: S,
  flags: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): SettingsValues<S> {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(settings)) {
    const s = infoOf(key, schema);
    const fromFlag = flags[camel(s.flag)];
    const fromEnv = s.env ? env[s.env] : undefined;
    const raw = fromFlag ?? (fromEnv === '' ? undefined : fromEnv);
    const result = schema.safeParse(raw);
    if (!result.success) {
      const from = fromFlag !== undefined ? 'flag' : fromEnv ? 'env' : undefined;
      throw new SettingsError(
        `invalid setting ${whereOf(s, from)}: ${result.error.issues[0]?.message ?? 'a valid value'}; got ${gotOf(s, raw)}`,
      );
    }
    out[key] = result.data;
  }
  return out as SettingsValues<S>;
}

type Unwrapped<T> = T extends z.ZodOptional<infer I> | z.ZodDefault<infer I> ? Unwrapped<I> : T;
type Join<P extends string, K extends string> = P extends '' ? K : `${P}${Capitalize<K>}`;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
/** A leaf as {@link resolveSettings} reads it: optional unless it has a default (whether it is required is its object's rule). */
type Leaf<S extends z.ZodType> = undefined extends z.input<S> ? S : z.ZodOptional<S>;
/** The described fields of a config schema's shape, nested objects flattened: `sasl.mechanism` → `kafkaSaslMechanism`. */
export type FlatSettings<Shape, P extends string> = UnionToIntersection<
  {
    [K in keyof Shape & string]: Shape[K] extends Described
      ? { [Q in Join<P, K>]: Leaf<Shape[K]> }
      : Unwrapped<Shape[K]> extends z.ZodObject<infer Inner>
        ? FlatSettings<Inner, Join<P, K>>
        : Record<never, never>;
  }[keyof Shape & string]
>;

/** A connector's config schema as a command's settings, with the check of the rules between them. */
export interface ConnectorSettings<C extends z.ZodObject, P extends string> {
  /** One setting per described field, keyed `<prefix><Path>`. */
  readonly settings: FlatSettings<C['shape'], P>;
  /**
   * The connector's config from the resolved values, validated with its
   * schema: what is required, and the rules between settings. A failure is a
   * {@link SettingsError} naming the setting (or the settings) concerned.
   */
  check(values: Record<string, unknown>): z.output<C>;
}

const keyOf = (prefix: string, path: readonly string[]) =>
  [prefix, ...path]
    .filter(Boolean)
    .map((p, i) => (i === 0 ? p : p[0]!.toUpperCase() + p.slice(1)))
    .join('');

/**
 * A connector's config schema as settings of a command: its described fields,
 * flattened under `prefix` (`kafka` → `kafkaBrokers`, `kafkaSaslPassword`),
 * each validated alone when read, then `check` applies the whole schema.
 * A rule spanning settings may list them all in its issue's
 * `params.settings` (keys of the schema): the message then names each.
 */
export function connectorSettings<C extends z.ZodObject, P extends string>(schema: C, prefix: P): ConnectorSettings<C, P> {
  const described = describeSettings(schema).map((d) => ({ ...d, key: keyOf(prefix, d.path) }));
  const settings = Object.fromEntries(described.map((d) => [d.key, defaultOf(d.schema) ? d.schema : d.schema.optional()]));
  return {
    settings: settings as FlatSettings<C['shape'], P>,
    check(values) {
      const input: Record<string, unknown> = {};
      for (const d of described) {
        const value = values[d.key];
        if (value === undefined) continue;
        let at = input;
        for (const part of d.path.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
        at[d.path.at(-1)!] = value;
      }
      const result = schema.safeParse(input);
      if (result.success) return result.data;
      const issue = result.error.issues[0]!;
      const named = (issue as { params?: { settings?: string[] } }).params?.settings;
      const concerned = named
        ? described.filter((d) => named.includes(d.path.join('.')))
        : described.filter((d) => d.path.every((part, i) => issue.path[i] === part)).slice(0, 1);
      if (concerned.length === 0) throw new SettingsError(`invalid settings: ${issue.message}`);
      const where =
        concerned.length > 1 ? concerned.map((d) => d.info.env ?? `--${d.info.flag}`).join(' or ') : whereOf(concerned[0]!.info);
      const got = concerned.length > 1 ? 'nothing' : gotOf(concerned[0]!.info, values[concerned[0]!.key]);
      throw new SettingsError(`invalid setting ${where}: ${issue.message}; got ${got}`);
    },
  };
}
