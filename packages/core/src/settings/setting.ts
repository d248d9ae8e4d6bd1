import { z } from 'zod';

/**
 * What a user needs to know about one setting of a config schema: where its
 * value comes from (flag, environment variable), how `--help` and the docs
 * show it, and whether it may be echoed. Its rules and its default live in the
 * zod schema it is attached to, so they are written once.
 */
export interface SettingInfo {
  /** Flag name without dashes, e.g. `brokers` for `--brokers <value>`. */
  readonly flag: string;
  /** Placeholder shown in `--help`, e.g. `host:port,…`. Omit for a switch (a flag without value). */
  readonly value?: string;
  /** Environment variable read when the flag is not given. */
  readonly env?: string;
  /** One line of help. */
  readonly description: string;
  /** Never echo the value, nor its default (passwords, passphrases). */
  readonly secret?: boolean;
}

/** Where {@link setting} keeps the metadata: a registry of its own, so the global zod one is left alone. */
const registry = z.registry<SettingInfo>();

/**
 * Attaches a setting's metadata to a zod field schema and returns it (a copy,
 * so one shared rule, such as an identifier's, can describe several settings).
 *
 * @example
 * ```ts
 * import { setting } from '@sneakpipe/core';
 * import { z } from 'zod';
 *
 * const ConfigSchema = z.object({
 *   brokers: setting(z.string().default('localhost:9092'), { flag: 'brokers', env: 'KAFKA_BOOTSTRAP', value: 'host:port', description: 'bootstrap servers' }),
 * });
 * ```
 */
export function setting<T extends z.ZodType>(schema: T, info: SettingInfo): Described<T> {
  const described = schema.clone() as T;
  registry.add(described, info);
  return described as Described<T>;
}

declare const describedBrand: unique symbol;
/** A field schema carrying {@link SettingInfo} (a type-level mark, so tools can tell settings from code-only options). */
export type Described<T extends z.ZodType = z.ZodType> = T & { readonly [describedBrand]: true };

/** The metadata of a field schema, looking through `.optional()`, `.default()` and the like. */
export function settingInfoOf(schema: z.ZodType): SettingInfo | undefined {
  for (let s: z.ZodType | undefined = schema; s; s = innerOf(s)) {
    const info = registry.get(s);
    if (info) return info;
  }
  return undefined;
}

/** The schema a wrapper (optional, default, nullable, readonly…) wraps, if it is one. */
function innerOf(schema: z.ZodType): z.ZodType | undefined {
  const def = schema._zod.def as { innerType?: z.ZodType };
  return def.innerType;
}

/** The default of a field schema, if it has one (looking through wrappers). */
export function defaultOf(schema: z.ZodType): { value: unknown } | undefined {
  for (let s: z.ZodType | undefined = schema; s; s = innerOf(s)) {
    const def = s._zod.def as { type: string; defaultValue?: unknown };
    if (def.type === 'default' || def.type === 'prefault') return { value: def.defaultValue };
  }
  return undefined;
}

/** A default as a user would type it: lists comma-separated, like the environment variables take them. */
export function defaultText(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(',') : String(value);
}

/** A described setting found in a config schema, with where it sits. */
export interface SettingDescriptor {
  /** Its key path in the schema, e.g. `['sasl', 'password']`. */
  readonly path: readonly string[];
  readonly info: SettingInfo;
  /** Its field schema: the rules of the value alone (rules between settings are the object's). */
  readonly schema: z.ZodType;
  /** Its default as text, when it has one. */
  readonly default?: string;
}

/** The object schema a field schema is, through wrappers (`sasl: z.object({…}).optional()`), if it is one. */
function objectOf(schema: z.ZodType): z.ZodObject | undefined {
  for (let s: z.ZodType | undefined = schema; s; s = innerOf(s)) {
    if (s instanceof z.ZodObject) return s;
  }
  return undefined;
}

/**
 * Every described setting of a config schema, in declaration order, nested
 * objects included. Fields without {@link setting} metadata are left out:
 * they are options for code, not for users.
 */
export function describeSettings(schema: z.ZodObject, prefix: readonly string[] = []): SettingDescriptor[] {
  const found: SettingDescriptor[] = [];
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const path = [...prefix, key];
    const info = settingInfoOf(field);
    const nested = objectOf(field);
    if (info) {
      const d = defaultOf(field);
      found.push({ path, info, schema: field, ...(d && !info.secret ? { default: defaultText(d.value) } : {}) });
    } else if (nested) found.push(...describeSettings(nested, path));
  }
  return found;
}

/**
 * What a connector says about itself: its name and its one config schema,
 * whose fields carry their {@link SettingInfo}. A CLI builds its flags,
 * environment handling and `--help` from it; docs are generated from it.
 *
 * Every connector has the same lifecycle, with the same names:
 *
 * 1. **open** (`DuckDbWarehouse.open(config, { tables })`, `SnowflakeWarehouse.open(config, { tables })`,
 *    `openKafkaClient(name, config)`): validates the config with this schema
 *    (a bad setting throws before anything connects), connects, creates what
 *    is missing, and returns an object ready to use;
 * 2. **write** while open: a {@link Sink}'s `write`, a {@link Warehouse}'s
 *    `append` — or, for a {@link Source}, `records` and `commit`;
 * 3. **close**: lets go of connections and files; nothing is called after it.
 */
export interface ConnectorDescriptor<C extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  readonly config: C;
}
