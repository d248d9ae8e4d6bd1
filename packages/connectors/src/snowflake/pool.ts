import type snowflake from 'snowflake-sdk';
import { mappingSnowflakeErrors } from './errors.js';
import type { SnowflakeConn } from './execute.js';
import { loadSnowflakeSdk } from './load-driver.js';
import { loginOnce } from './login.js';

/**
 * Logs in once (so bad settings fail here, with the driver's own error), then
 * makes the pool of `size` connections.
 */
export async function openSnowflakePool(options: snowflake.ConnectionOptions, size: number): Promise<SnowflakePool> {
  const sdk = await loadSnowflakeSdk();
  const login = () => mappingSnowflakeErrors(() => loginOnce(sdk, options));
  await login();
  return new SnowflakePool(sdk.createPool(options, { max: size, min: 0, evictionRunIntervalMillis: 60_000 }), login);
}

/**
 * snowflake-sdk's pool, whose errors come out mapped into sneakpipe's model
 * (`snowflakeError`), and told apart when it cannot connect: its login errors
 * keep only the message, so one login outside the pool tells why (see
 * {@link SnowflakePool.use}).
 */
export class SnowflakePool {
  /** The errors with which the pool failed to make a connection (only their message is kept: see {@link use}). */
  private readonly connectFailures = new WeakSet<Error>();
  /** The login outside the pool that diagnoses one of them; shared by every request that failed with it. */
  private diagnosis: Promise<void> | undefined;

  constructor(
    private readonly pool: snowflake.Pool<SnowflakeConn>,
    /** A login outside the pool, to learn why the pool's own login failed (see {@link use}). */
    private readonly login: () => Promise<void>,
  ) {
    // The driver rejects every waiting request with this same error object.
    pool.on('factoryCreateError', (error: unknown) => {
      if (error instanceof Error) this.connectFailures.add(error);
    });
  }

  /**
   * A pooled connection for `work`; the driver's errors come out mapped into sneakpipe's model (`snowflakeError`).
   * When the pool could not make a connection for a reason it does not tell (its login errors keep only the
   * message), one login outside the pool tells it: a password rotated under a running consumer is then
   * AUTH_FAILED, which stops the process, not a bare error retried for ever.
   */
  async use<T>(work: (conn: SnowflakeConn) => Promise<T>): Promise<T> {
    try {
      return await mappingSnowflakeErrors(() => this.pool.use(work));
    } catch (error) {
      if (error instanceof Error && this.connectFailures.has(error)) {
        this.diagnosis ??= this.login().finally(() => (this.diagnosis = undefined));
        // A refused login rejects with its own mapped error (AUTH_FAILED); a login that works leaves the pool's error as it was.
        await this.diagnosis;
      }
      throw error;
    }
  }

  /** Closes every connection; the pool's eviction timer would otherwise keep the process alive. */
  async close(): Promise<void> {
    await this.pool.drain();
    await this.pool.clear();
  }
}
