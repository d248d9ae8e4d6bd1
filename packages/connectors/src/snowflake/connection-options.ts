import { readFile } from 'node:fs/promises';
import type snowflake from 'snowflake-sdk';
import { ConfigError } from '@sneakpipe/core';
import { authenticationOf, type SnowflakeConnectionConfig } from './config.js';

/** The driver's options for validated settings: where, who (password or key pair), and how the driver behaves. */
export async function connectionOptions(config: SnowflakeConnectionConfig): Promise<snowflake.ConnectionOptions> {
  return {
    account: config.account,
    username: config.username,
    database: config.database,
    schema: config.schema,
    ...(config.warehouse ? { warehouse: config.warehouse } : {}),
    ...(config.role ? { role: config.role } : {}),
    ...(config.host ? { accessUrl: `${config.protocol}://${config.host}${config.port ? `:${config.port}` : ''}` } : {}),
    ...(config.arrayBindingThreshold ? { arrayBindingThreshold: config.arrayBindingThreshold } : {}),
    ...(await authentication(config)),
    application: 'sneakpipe',
    clientSessionKeepAlive: true,
    // The driver retries a failed login for up to 5 minutes, silently: an unreachable host looked like a hang.
    // Each attempt fails at once instead, and sneakpipe's own retries (a load's, `retryUntil` at start-up) log it.
    sfRetryMaxLoginRetries: 0,
  } as snowflake.ConnectionOptions;
}

async function authentication(config: SnowflakeConnectionConfig): Promise<Partial<snowflake.ConnectionOptions>> {
  if (authenticationOf(config) === 'password') return { password: config.password };
  const privateKey = config.privateKey ?? (await readPrivateKeyFile(config.privateKeyPath!));
  return {
    authenticator: 'SNOWFLAKE_JWT',
    privateKey,
    ...(config.privateKeyPassphrase ? { privateKeyPass: config.privateKeyPassphrase } : {}),
  } as Partial<snowflake.ConnectionOptions>;
}

/** A PEM private key file's text; one that cannot be read is a setting to fix (`ConfigError`), not a passing failure. */
export function readPrivateKeyFile(path: string): Promise<string> {
  return readFile(path, 'utf8').catch((error: unknown) => {
    throw new ConfigError(`cannot read the Snowflake private key file ${path}: ${(error as Error).message}`, { cause: error });
  });
}
