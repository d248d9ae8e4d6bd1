import type snowflake from 'snowflake-sdk';

/**
 * One login, then logout, outside the pool: before the pool is made, and
 * again when the pool fails to make a connection. The pool's connections
 * reject with a new error that keeps only the driver's message, so a refused
 * login (AUTH_FAILED, which stops the process) and an unreachable host
 * (WAREHOUSE_UNAVAILABLE, retried) could not be told apart through it.
 */
export function loginOnce(sdk: typeof snowflake, options: snowflake.ConnectionOptions): Promise<void> {
  const connection = sdk.createConnection(options);
  return new Promise((resolve, reject) => connection.connect((error) => (error ? reject(error) : connection.destroy(() => resolve()))));
}
