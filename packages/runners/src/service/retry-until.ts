import { backoffDelay, isRetriable } from '@sneakpipe/core';
import type { Logger } from '../logger.js';
import { logRetry } from '@sneakpipe/core';

/**
 * Runs `attempt` until it succeeds or `stopped()` says to give up, waiting
 * with capped exponential backoff between tries and logging each failure.
 * Runners use it to reach Kafka and the warehouse at start-up: a service that
 * starts before its dependencies waits for them (and says it is not ready)
 * instead of crashing. An error that is not worth retrying ({@link isRetriable}:
 * a bad setting, a wrong password, a missing privilege) is thrown at once.
 */
export async function retryUntil<T>(what: string, attempt: () => Promise<T>, log: Logger, stopped: () => boolean): Promise<T | undefined> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      // A wrong setting or credential does not fix itself: stop with its one-line message.
      if (!isRetriable(error)) throw error;
      if (stopped()) return undefined;
      const delayMs = backoffDelay(n, { initialDelayMs: 500, maxDelayMs: 15_000 });
      // One short line an operator can read; the whole error (stack, every nested try) at debug level.
      logRetry(log, what, error, n, delayMs);
      await new Promise((r) => setTimeout(r, delayMs));
      if (stopped()) return undefined;
    }
  }
}
