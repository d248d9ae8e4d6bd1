import { z } from 'zod';

/** Reusable setting schemas, each with the message a user reads when it fails. */
export const positiveInt = (what = 'a positive integer') =>
  z.coerce
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .positive({ error: `expected ${what}` });

export const nonNegativeInt = (what = 'an integer >= 0') =>
  z.coerce
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .min(0, { error: `expected ${what}` });

export const positiveNumber = (what = 'a positive number') =>
  z.coerce
    .number({ error: `expected ${what}` })
    .positive({ error: `expected ${what}` })
    .finite({ error: `expected ${what}` });

export const optional = <T extends z.ZodType>(schema: T) => schema.optional();

export const nonEmpty = (what: string) =>
  z
    .string({ error: `expected ${what}` })
    .trim()
    .min(1, { error: `expected ${what}` });

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  error: 'expected one of fatal, error, warn, info, debug, trace, silent',
});

/** A switch: `true`/`false` in the environment, or the bare flag. */
export const bool = z.union([z.boolean(), z.stringbool({ error: 'expected true or false' })], { error: 'expected true or false' });
