import { logRetry } from '../errors/describe-error.js';
import { isRetriable } from '../errors/is-retriable.js';
import { consoleLogger, type Logger } from '../logging/logger.js';
import { backoffDelay, type RetryOptions } from './backoff.js';
import { sleep } from './sleep.js';

/** Options of {@link retry}: the policy of {@link RetryOptions}, and where each retry is told. */
export interface RetryPolicy extends RetryOptions {
  /** What is tried, in the log lines: `connecting to Kafka failed, retrying in 0.8 s (attempt 2): …`. */
  what: string;
  /** One warn line per failed attempt (and the whole error at debug). Default {@link consoleLogger}. */
  logger?: Logger;
  /** Checked after each failure and each wait: when it says `true`, the last error is thrown instead of trying again. */
  stopped?: () => boolean;
}

/**
 * The one retry loop of the library: calls `attempt` until it resolves,
 * waiting between failures with capped exponential backoff and jitter
 * ({@link backoffDelay}), telling each retry in one warn line, and throwing at
 * once an error that is not worth retrying (`isRetriable`, by default
 * {@link isRetriable}), the last error after `maxAttempts`, or when `stopped()`.
 * `load()` uses the same policy and delays, through RxJS.
 *
 * @example
 * ```ts
 * import { retry } from '@sneakpipe/core';
 *
 * declare function connect(): Promise<{ close(): void }>;
 * const connection = await retry(() => connect(), { what: 'connecting', initialDelayMs: 500, maxDelayMs: 15_000, maxAttempts: 10 });
 * connection.close();
 * ```
 */
export async function retry<T>(attempt: (n: number) => Promise<T>, policy: RetryPolicy): Promise<T> {
  const maxAttempts = policy.maxAttempts ?? Infinity;
  const worthRetrying = policy.isRetriable ?? isRetriable;
  const logger = policy.logger ?? consoleLogger;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!worthRetrying(error) || n >= maxAttempts || policy.stopped?.()) throw error;
      const delayMs = backoffDelay(n, policy);
      logRetry(logger, policy.what, error, n, delayMs);
      policy.onRetry?.(error, n, delayMs);
      await sleep(delayMs);
      if (policy.stopped?.()) throw error;
    }
  }
}
