import { z } from 'zod';

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]{0,254}$/, 'expected a Snowflake identifier (letters, digits, _ or $)');

/**
 * Connection settings of the Snowflake warehouse, validated. Authentication is
 * a password or a key pair (private key file or PEM text, with an optional
 * passphrase); when both are given the key pair is used and the password is
 * ignored (see {@link authenticationOf}). Secrets are handed to the driver
 * only and never logged.
 */
export const SnowflakeConnectionSchema = z
  .object({
    /** Account identifier, e.g. `myorg-myaccount`. */
    account: z.string().trim().min(1, 'expected an account identifier'),
    username: z.string().trim().min(1, 'expected a user name'),
    password: z.string().min(1).optional(),
    /** Key-pair authentication: a PEM private key file… */
    privateKeyPath: z.string().min(1).optional(),
    /** …or the PEM text itself. */
    privateKey: z.string().min(1).optional(),
    privateKeyPassphrase: z.string().min(1).optional(),
    warehouse: identifier.optional(),
    database: identifier.default('RETAIL_LAB'),
    schema: identifier.default('STG'),
    role: identifier.optional(),
    /** Override the endpoint (an emulator, a private link). Default: the account's. */
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    protocol: z.enum(['https', 'http']).default('https'),
    /** Connections in the pool. Default 4. */
    poolSize: z.number().int().min(1).max(64).default(4),
    /**
     * Above how many bound values the driver uploads an array bind to a stage
     * (PUT + COPY) instead of sending it inline. Default: the driver's.
     */
    arrayBindingThreshold: z.number().int().positive().optional(),
  })
  .superRefine((c, ctx) => {
    const methods = [c.password, c.privateKeyPath, c.privateKey].filter(Boolean).length;
    if (methods === 0) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'expected a password or a private key (key-pair authentication)' });
    }
    if (c.privateKeyPath && c.privateKey) {
      ctx.addIssue({ code: 'custom', path: ['privateKey'], message: 'expected a private key file or PEM text, not both' });
    }
    if (c.protocol === 'http' && !(c.host && /^(127\.|localhost$)/.test(c.host))) {
      ctx.addIssue({ code: 'custom', path: ['protocol'], message: 'http is only for a local emulator; Snowflake needs https' });
    }
  });

export type SnowflakeConnection = z.input<typeof SnowflakeConnectionSchema>;
export type SnowflakeConnectionConfig = z.output<typeof SnowflakeConnectionSchema>;

/**
 * How a connection authenticates: with its key pair whenever a private key is
 * given (a password set as well is then ignored, never sent), else with its
 * password.
 */
export function authenticationOf(
  connection: Pick<SnowflakeConnection, 'privateKey' | 'privateKeyPath' | 'password'>,
): 'key-pair' | 'password' {
  return connection.privateKey || connection.privateKeyPath ? 'key-pair' : 'password';
}
