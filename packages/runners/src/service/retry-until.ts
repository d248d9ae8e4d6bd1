import { isRetriable, retry } from '@sneakpipe/core';
import type { Logger } from '../logger.js';

/**
 * Runs `attempt` until it succeeds or `stopped()` says to give up (then
 * resolves `undefined`), with core's `retry`: capped exponential backoff and
 * a log line per failure. Runners use it to reach Kafka and the warehouse at
 * start-up: a service that starts before its dependencies waits for them (and
 * says it is not ready) instead of crashing. An error that is not worth
 * retrying (a bad setting, a wrong password, a missing privilege) is thrown at once.
 */
export async function retryUntil<T>(what: string, attempt: () => Promise<T>, log: Logger, stopped: () => boolean): Promise<T | undefined> {
  try {
    return await retry(attempt, { what, logger: log, initialDelayMs: 500, maxDelayMs: 15_000, stopped });
  } catch (error) {
    if (isRetriable(error) && stopped()) return undefined;
    throw error;
  }
}
