import { errorChain } from './network-codes.js';
import { SneakpipeError } from './sneakpipe-error.js';

/** The first {@link SneakpipeError} in `error`'s chain (itself, its causes, an aggregate's members), if any. */
export function findSneakpipeError(error: unknown): SneakpipeError | undefined {
  return errorChain(error).find((e): e is SneakpipeError => e instanceof SneakpipeError);
}

/**
 * Whether a failed operation is worth trying again: the decision `load()` and
 * the runners' start-up waits make.
 *
 * - A {@link SneakpipeError} (or an error that wraps one): its `retriable`.
 *   Connectors map every driver error they know, so a wrong password, a missing
 *   privilege or a bad setting says `false` and the pipeline stops at once.
 * - Any other error: `true`. It is one no connector recognised: most often a
 *   transient network failure in a form nobody listed (`ECONNRESET`,
 *   `ETIMEDOUT`, a driver's own "connection closed"). Retrying it costs a log
 *   line per attempt with backoff, and loses nothing (loads are idempotent by
 *   positions); stopping on it would take a pipeline down for a blip. What is
 *   known to be permanent is classified where it is known: in the connector.
 *
 * @example
 * ```ts
 * import { ConfigError, isRetriable } from '@sneakpipe/core';
 *
 * isRetriable(new ConfigError('bad account')); // false
 * isRetriable(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })); // true
 * ```
 */
export function isRetriable(error: unknown): boolean {
  return findSneakpipeError(error)?.retriable ?? true;
}
