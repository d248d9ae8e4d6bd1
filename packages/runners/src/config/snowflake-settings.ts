import { z } from 'zod';
import type { SnowflakeConnection } from '@sneakpipe/connectors/snowflake';
import { nonEmpty, positiveInt } from './schemas.js';
import { SettingsError, type Setting, type SettingsValues } from './settings.js';

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]{0,254}$/, 'expected a Snowflake identifier (letters, digits, _ or $)');

/**
 * Snowflake settings, with the seed's environment names. When
 * `SNOWFLAKE_ACCOUNT` is unset the warehouse is the embedded DuckDB file.
 */
export const snowflakeSettings = {
  account: {
    flag: 'snowflake-account',
    value: 'account',
    env: 'SNOWFLAKE_ACCOUNT',
    schema: nonEmpty('an account identifier').optional(),
    description: 'Snowflake account (unset: DuckDB)',
  },
  user: {
    flag: 'snowflake-user',
    value: 'user',
    env: 'SNOWFLAKE_USER',
    schema: nonEmpty('a user name').optional(),
    description: 'Snowflake user',
  },
  password: {
    flag: 'snowflake-password',
    value: 'password',
    env: 'SNOWFLAKE_PASSWORD',
    schema: nonEmpty('a password').optional(),
    secret: true,
    description: 'password (prefer the environment variable, or key-pair auth)',
  },
  privateKeyPath: {
    flag: 'snowflake-private-key-path',
    value: 'file',
    env: 'SNOWFLAKE_PRIVATE_KEY_PATH',
    schema: nonEmpty('a file path').optional(),
    description: 'PEM private key for key-pair authentication',
  },
  privateKeyPassphrase: {
    flag: 'snowflake-private-key-passphrase',
    value: 'passphrase',
    env: 'SNOWFLAKE_PRIVATE_KEY_PASSPHRASE',
    schema: nonEmpty('a passphrase').optional(),
    secret: true,
    description: 'passphrase of an encrypted private key',
  },
  sfWarehouse: {
    flag: 'snowflake-warehouse',
    value: 'name',
    env: 'SNOWFLAKE_WAREHOUSE',
    schema: identifier.optional(),
    description: 'virtual warehouse that runs the loads',
  },
  database: {
    flag: 'snowflake-database',
    value: 'name',
    env: 'SNOWFLAKE_DATABASE',
    schema: identifier,
    default: 'RETAIL_LAB',
    description: 'database',
  },
  schema: { flag: 'snowflake-schema', value: 'name', env: 'SNOWFLAKE_SCHEMA', schema: identifier, default: 'STG', description: 'schema' },
  role: { flag: 'snowflake-role', value: 'name', env: 'SNOWFLAKE_ROLE', schema: identifier.optional(), description: 'role' },
  host: {
    flag: 'snowflake-host',
    value: 'host',
    env: 'SNOWFLAKE_HOST',
    schema: nonEmpty('a host name').optional(),
    description: 'endpoint override (private link, emulator)',
  },
  port: {
    flag: 'snowflake-port',
    value: 'port',
    env: 'SNOWFLAKE_PORT',
    schema: positiveInt('a port number').optional(),
    description: 'endpoint port override',
  },
  protocol: {
    flag: 'snowflake-protocol',
    value: 'https|http',
    env: 'SNOWFLAKE_PROTOCOL',
    schema: z.enum(['https', 'http'], { error: 'expected https or http' }),
    default: 'https',
    description: 'endpoint protocol (http: local emulator only)',
  },
  arrayBindingThreshold: {
    flag: 'snowflake-array-binding-threshold',
    value: 'n',
    env: 'SNOWFLAKE_ARRAY_BINDING_THRESHOLD',
    schema: positiveInt().optional(),
    description: 'bound values above which the driver stages array binds',
  },
} satisfies Record<string, Setting>;

/** Snowflake connection settings, or `undefined` when no account is configured (DuckDB then). */
export function snowflakeConnection(v: SettingsValues<typeof snowflakeSettings>): SnowflakeConnection | undefined {
  if (!v.account) return undefined;
  if (!v.user) throw new SettingsError('invalid setting SNOWFLAKE_USER (or --snowflake-user): expected a user name; got nothing');
  if (!v.password && !v.privateKeyPath) {
    throw new SettingsError('invalid setting SNOWFLAKE_PASSWORD or SNOWFLAKE_PRIVATE_KEY_PATH: expected one of them; got neither');
  }
  return {
    account: v.account,
    username: v.user,
    ...(v.password ? { password: v.password } : {}),
    ...(v.privateKeyPath ? { privateKeyPath: v.privateKeyPath } : {}),
    ...(v.privateKeyPassphrase ? { privateKeyPassphrase: v.privateKeyPassphrase } : {}),
    ...(v.sfWarehouse ? { warehouse: v.sfWarehouse } : {}),
    database: v.database,
    schema: v.schema,
    ...(v.role ? { role: v.role } : {}),
    ...(v.host ? { host: v.host } : {}),
    ...(v.port ? { port: v.port } : {}),
    protocol: v.protocol,
    ...(v.arrayBindingThreshold ? { arrayBindingThreshold: v.arrayBindingThreshold } : {}),
  };
}
