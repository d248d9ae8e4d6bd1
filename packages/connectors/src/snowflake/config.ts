import { fields, setting, type WarehouseConnector } from '@sneakpipe/core';
import { z } from 'zod';

/** A Snowflake identifier; `what` names it when it is missing. */
const identifier = (what = 'a Snowflake identifier') =>
  z
    .string({ error: `expected ${what}` })
    .regex(/^[A-Za-z_][A-Za-z0-9_$]{0,254}$/, 'expected a Snowflake identifier (letters, digits, _ or $)');

/**
 * The Snowflake warehouse's settings, validated. The database is required
 * (Snowflake has no default one); the schema defaults to `PUBLIC`, which every
 * database has. Authentication is a password
 * or a key pair (private key file or PEM text, with an optional passphrase);
 * when both are given the key pair is used and the password is ignored (see
 * {@link authenticationOf}). Each field carries its flag, environment variable
 * and help ({@link setting}); the rules and defaults are these, once. Secrets
 * are handed to the driver only and never logged.
 *
 * {@link SnowflakeConnectionSchema} adds the endpoint guard the warehouse
 * applies when it opens.
 */
export const SnowflakeSettingsSchema = z
  .object({
    /** Account identifier, e.g. `myorg-myaccount`. */
    account: setting(fields.nonEmpty('an account identifier'), {
      flag: 'snowflake-account',
      value: 'account',
      env: 'SNOWFLAKE_ACCOUNT',
      description: 'Snowflake account identifier, e.g. myorg-myaccount (unset: DuckDB)',
    }),
    username: setting(fields.nonEmpty('a user name'), {
      flag: 'snowflake-user',
      value: 'user',
      env: 'SNOWFLAKE_USER',
      description: 'Snowflake user',
    }),
    password: setting(fields.nonEmpty('a password').optional(), {
      flag: 'snowflake-password',
      value: 'password',
      env: 'SNOWFLAKE_PASSWORD',
      secret: true,
      description: 'password (prefer the environment variable, or key-pair auth)',
    }),
    /** Key-pair authentication: a PEM private key file… */
    privateKeyPath: setting(fields.nonEmpty('a file path').optional(), {
      flag: 'snowflake-private-key-path',
      value: 'file',
      env: 'SNOWFLAKE_PRIVATE_KEY_PATH',
      description: 'PEM private key for key-pair authentication',
    }),
    /** …or the PEM text itself. */
    privateKey: z.string().min(1).optional(),
    privateKeyPassphrase: setting(fields.nonEmpty('a passphrase').optional(), {
      flag: 'snowflake-private-key-passphrase',
      value: 'passphrase',
      env: 'SNOWFLAKE_PRIVATE_KEY_PASSPHRASE',
      secret: true,
      description: 'passphrase of an encrypted private key',
    }),
    warehouse: setting(identifier().optional(), {
      flag: 'snowflake-warehouse',
      value: 'name',
      env: 'SNOWFLAKE_WAREHOUSE',
      description: "virtual warehouse that runs the loads (default: the user's)",
    }),
    /** Required: Snowflake has no default database. */
    database: setting(identifier('the database to load into'), {
      flag: 'snowflake-database',
      value: 'name',
      env: 'SNOWFLAKE_DATABASE',
      description: 'database (created only if absent)',
    }),
    /** Default `PUBLIC`, the schema every Snowflake database is created with. */
    schema: setting(identifier().default('PUBLIC'), {
      flag: 'snowflake-schema',
      value: 'name',
      env: 'SNOWFLAKE_SCHEMA',
      description: 'schema (created only if absent)',
    }),
    role: setting(identifier().optional(), {
      flag: 'snowflake-role',
      value: 'name',
      env: 'SNOWFLAKE_ROLE',
      description: "role (default: the user's)",
    }),
    /** Override the endpoint (an emulator, a private link). Default: the account's. */
    host: setting(fields.nonEmpty('a host name').optional(), {
      flag: 'snowflake-host',
      value: 'host',
      env: 'SNOWFLAKE_HOST',
      description: 'endpoint override (private link, emulator)',
    }),
    port: setting(fields.port().optional(), {
      flag: 'snowflake-port',
      value: 'port',
      env: 'SNOWFLAKE_PORT',
      description: 'endpoint port override',
    }),
    protocol: setting(fields.oneOf(['https', 'http']).default('https'), {
      flag: 'snowflake-protocol',
      value: 'https|http',
      env: 'SNOWFLAKE_PROTOCOL',
      description: 'endpoint protocol (http: local emulator only)',
    }),
    /** Connections in the pool. Default 4. */
    poolSize: z.number().int().min(1).max(64).default(4),
    /**
     * Above how many bound values the driver uploads an array bind to a stage
     * (PUT + COPY) instead of sending it inline. Default: the driver's.
     */
    arrayBindingThreshold: setting(fields.positiveInt().optional(), {
      flag: 'snowflake-array-binding-threshold',
      value: 'n',
      env: 'SNOWFLAKE_ARRAY_BINDING_THRESHOLD',
      description: 'bound values above which the driver stages array binds',
    }),
    /**
     * How loads reach the tables: `transactional` (default) runs each load as a transaction on the virtual
     * warehouse; `streaming` appends through Snowpipe Streaming's REST API, serverless (key-pair authentication).
     */
    loadMethod: setting(fields.oneOf(['transactional', 'streaming']).default('transactional'), {
      flag: 'snowflake-load-method',
      value: 'transactional|streaming',
      env: 'SNOWFLAKE_LOAD_METHOD',
      description: 'transactional: a transaction per load on the warehouse; streaming: Snowpipe Streaming, no warehouse',
    }),
    /** Snowpipe Streaming's endpoint. Default: the account's URL (`https://<account>.snowflakecomputing.com`). */
    streamingUrl: setting(
      z
        .string({ error: 'expected a URL' })
        .regex(/^https?:\/\/[^\s/]+\/?$/, 'expected a URL such as https://myorg-myaccount.snowflakecomputing.com')
        .optional(),
      {
        flag: 'snowflake-streaming-url',
        value: 'url',
        env: 'SNOWFLAKE_STREAMING_URL',
        description: "Snowpipe Streaming endpoint (default: the account's URL; a private link, a test server)",
      },
    ),
    /** The key Snowpipe Streaming signs in with. Default: the connection's private key. */
    streamingPrivateKeyPath: setting(fields.nonEmpty('a file path').optional(), {
      flag: 'snowflake-streaming-private-key-path',
      value: 'file',
      env: 'SNOWFLAKE_STREAMING_PRIVATE_KEY_PATH',
      description: "PEM private key for Snowpipe Streaming (default: the connection's)",
    }),
    /** How long a streaming load waits for each of its two commits (rows, then position), ms. Default 25,000: a load fits in the pipeline's 60 s. */
    streamingCommitTimeoutMs: z.number().int().min(1).default(25_000),
  })
  .superRefine((c, ctx) => {
    if (c.loadMethod === 'streaming' && !c.privateKey && !c.privateKeyPath && !c.streamingPrivateKeyPath) {
      ctx.addIssue({
        code: 'custom',
        path: ['loadMethod'],
        message:
          'streaming signs in with a key pair: give a private key (snowflake-private-key-path or snowflake-streaming-private-key-path)',
      });
    }
    const methods = [c.password, c.privateKeyPath, c.privateKey].filter(Boolean).length;
    if (methods === 0) {
      // `settings` names every setting that would satisfy the rule, for a message that names them all.
      ctx.addIssue({
        code: 'custom',
        path: ['password'],
        message: 'expected a password or a private key (key-pair authentication)',
        params: { settings: ['password', 'privateKeyPath'] },
      });
    }
    if (c.privateKeyPath && c.privateKey) {
      ctx.addIssue({ code: 'custom', path: ['privateKey'], message: 'expected a private key file or PEM text, not both' });
    }
  });

/**
 * The settings as the warehouse connects with them: {@link SnowflakeSettingsSchema}
 * plus the endpoint guard — `http` only to an emulator on this machine.
 * Checked when the warehouse opens, whoever built the settings.
 */
export const SnowflakeConnectionSchema = SnowflakeSettingsSchema.superRefine((c, ctx) => {
  if (c.protocol === 'http' && !(c.host && /^(127\.|localhost$)/.test(c.host))) {
    ctx.addIssue({ code: 'custom', path: ['protocol'], message: 'http is only for a local emulator; Snowflake needs https' });
  }
});

/** The settings as code passes them (text or typed values; defaults filled in). */
export type SnowflakeConnection = z.input<typeof SnowflakeConnectionSchema>;
/** The settings once validated. */
export type SnowflakeConnectionConfig = z.output<typeof SnowflakeConnectionSchema>;

/** The Snowflake connector: its name, its config schema, and how it opens (the driver is loaded then). */
export const snowflakeConnector: WarehouseConnector<typeof SnowflakeSettingsSchema> = {
  name: 'snowflake',
  config: SnowflakeSettingsSchema,
  async open(config, { tables }) {
    if (config.loadMethod === 'streaming') {
      const { openStreamingWarehouse } = await import('./streaming/open-streaming-warehouse.js');
      return openStreamingWarehouse(config, tables);
    }
    const { SnowflakeWarehouse } = await import('./snowflake-warehouse.js');
    return SnowflakeWarehouse.open(config, { tables });
  },
  describe: (config) =>
    `snowflake:${config.account}/${config.database}.${config.schema ?? 'PUBLIC'} (${authenticationOf(config)} authentication${config.loadMethod === 'streaming' ? ', Snowpipe Streaming' : ''})`,
};

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
