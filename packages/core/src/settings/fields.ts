import { z } from 'zod';

/**
 * Field schemas for settings, each with the message a user reads when it
 * fails. They accept a value as code passes it and as text from a flag or an
 * environment variable (`'5'`, `'true'`), so one schema serves both.
 */

/** An integer > 0 (text is converted). */
export const positiveInt = (what = 'a positive integer') =>
  z.coerce
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .positive({ error: `expected ${what}` });

/** An integer >= 0 (text is converted). */
export const nonNegativeInt = (what = 'an integer >= 0') =>
  z.coerce
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .min(0, { error: `expected ${what}` });

/** A finite number > 0 (text is converted). */
export const positiveNumber = (what = 'a positive number') =>
  z.coerce
    .number({ error: `expected ${what}` })
    .positive({ error: `expected ${what}` })
    .finite({ error: `expected ${what}` });

/** A TCP port, 1–65535 (text is converted). */
export const port = (what = 'a port number') => positiveInt(what).max(65535, { error: `expected ${what}` });

/** Text that is not blank, trimmed. */
export const nonEmpty = (what: string) =>
  z
    .string({ error: `expected ${what}` })
    .trim()
    .min(1, { error: `expected ${what}` });

/** A switch: `true`/`false` (also as text, from the environment), or the bare flag. */
export const bool = z.union([z.boolean(), z.stringbool({ error: 'expected true or false' })], { error: 'expected true or false' });

/** One of `values`, with a message listing them (`expected a, b or c`). */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `expected ${values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values.at(-1)}` : values[0]}` });
