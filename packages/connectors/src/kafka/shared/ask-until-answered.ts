import { backoffDelay } from '@sneakpipe/core';
import type { ConnectorLogger } from './config.js';

/**
 * Calls `ask` until it resolves — backing off from 0.5 s, doubling, up to
 * 30 s, with core's `backoffDelay` — and hands the answer to `answered`, as long as `current()` holds
 * (the assignment it was asked for is still the member's). Where assigned
 * partitions resume must be known before any of their records is handed
 * out, so the sources wait for it rather than guess.
 */
export function askUntilAnswered<T>(
  ask: () => Promise<T>,
  answered: (answer: T) => void,
  current: () => boolean,
  logger?: ConnectorLogger,
): void {
  const attempt = (tries: number): void => {
    // A throw is a failed answer too, never an exception out of the group's event handler.
    Promise.resolve()
      .then(ask)
      .then(
        (answer) => current() && answered(answer),
        (error) => {
          if (!current()) return;
          logger?.warn({ err: error, attempt: tries }, 'reading where to resume failed; retrying');
          // Not core's `retry`: its waits hold the process open, and this one must not keep a closing member alive (unref).
          setTimeout(() => attempt(tries + 1), backoffDelay(tries, { initialDelayMs: 500, maxDelayMs: 30_000 })).unref();
        },
      )
      // Acting on the answer can fail when the member is closing: say so, never crash the process from here.
      .catch((error) => logger?.warn({ err: error }, 'resuming from the stored positions failed'));
  };
  attempt(1);
}
