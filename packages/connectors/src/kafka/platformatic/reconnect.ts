import { backoffDelay, consoleLogger, retry, sleep, type RetryPolicy } from '@sneakpipe/core';
import type { ConnectorLogger } from '../shared/config.js';

/**
 * How a source reconnects after a failure its client does not recover from
 * (a broker restart): 0.5 to 1 s before each attempt (a fixed 1 s less
 * core's jitter, which spreads the members of a group), and after 30
 * consecutive failed attempts, each one already retried by the client, the
 * source errors so a supervisor sees the process fail.
 */
export const RECONNECT_POLICY = { maxAttempts: 30, initialDelayMs: 1_000, maxDelayMs: 1_000, factor: 1 } as const;

/** What {@link reconnector} does at each attempt. */
export interface ReconnectSteps {
  /** Lets go of the failed consumer and creates a fresh one, which will rejoin the group. */
  replace(): void;
  /** Opens the fetch stream on the fresh consumer. */
  open(): Promise<void>;
  /** The source is stopped or unsubscribed: no more attempts, no error. */
  stopped(): boolean;
  /** Every attempt failed. */
  failed(error: unknown): void;
  logger?: ConnectorLogger;
}

/**
 * A `reconnect()` for a source: it replaces the consumer, waits, opens a
 * fetch stream on the new one, and tries again with core's `retry` (a new
 * consumer each time) until one opens. A call while it runs is ignored.
 */
export function reconnector(steps: ReconnectSteps): () => void {
  let reconnecting = false;
  const policy: RetryPolicy = {
    ...RECONNECT_POLICY,
    what: 'reconnecting to Kafka',
    isRetriable: () => true,
    stopped: steps.stopped,
    // The next consumer is created before the wait, as the first one is.
    onRetry: () => steps.replace(),
    logger: steps.logger ?? consoleLogger, // no retry is silent
  };
  return () => {
    if (reconnecting || steps.stopped()) return;
    reconnecting = true;
    steps.replace();
    sleep(backoffDelay(1, policy))
      .then(() => retry(() => steps.open(), policy))
      .then(
        () => (reconnecting = false),
        (error: unknown) => {
          reconnecting = false;
          if (!steps.stopped()) steps.failed(error);
        },
      );
  };
}
