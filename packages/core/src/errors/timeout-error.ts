import { SneakpipeError } from './sneakpipe-error.js';

/**
 * An attempt that took longer than allowed. Retriable: a slow or silent
 * endpoint is usually a passing condition, and sinks are idempotent, so a late
 * success of the abandoned attempt does no harm.
 */
export class TimeoutError extends SneakpipeError {
  override readonly name: string = 'TimeoutError';

  constructor(
    message: string,
    /** The limit that was exceeded, ms. */
    readonly timeoutMs: number,
    options: { cause?: unknown } = {},
  ) {
    super('TIMEOUT', message, { retriable: true, cause: options.cause });
  }
}
