import type { z } from 'zod';
import { ConfigError } from './config-error.js';
import { describeIssues } from './describe-issues.js';

/**
 * Validates settings with a zod schema and returns the parsed value, or throws
 * a {@link ConfigError} whose message is one line naming each bad setting
 * (`invalid Snowflake setting protocol: http is only for a local emulator`).
 * The `ZodError` is kept as `cause`; values are never echoed, so secrets stay out.
 */
export function parseConfig<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ConfigError(`invalid ${what} setting ${describeIssues(result.error)}`, { cause: result.error });
}
