/** How {@link load} retries a failed write. */
export interface RetryOptions {
  /** Attempts in all, the first included. Default `Infinity`: an outage means waiting, not losing data. */
  maxAttempts?: number;
  /** Delay before the first retry, ms. Default 100. */
  initialDelayMs?: number;
  /** Longest delay between two attempts, ms. Default 30,000. */
  maxDelayMs?: number;
  /** Growth of the delay per attempt. Default 2. */
  factor?: number;
  /**
   * Whether an error is worth retrying; one that is not fails the write at
   * once, without waiting. Default {@link isRetriable}: what a connector marked
   * permanent (wrong password, missing privilege, bad setting) is not retried,
   * anything else is.
   */
  isRetriable?: (error: unknown) => boolean;
  /** Called before each retry: log it, count it. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/**
 * The delay before retry number `attempt` (1 = first retry): exponential,
 * capped, with "equal jitter" — a uniform draw in [d/2, d] — so that many
 * consumers failing together do not retry in lockstep, yet none retries at once.
 */
export function backoffDelay(attempt: number, options: RetryOptions = {}, random: () => number = Math.random): number {
  const initial = options.initialDelayMs ?? 100;
  const max = options.maxDelayMs ?? 30_000;
  const factor = options.factor ?? 2;
  const ceiling = Math.min(max, initial * factor ** Math.max(0, attempt - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}
