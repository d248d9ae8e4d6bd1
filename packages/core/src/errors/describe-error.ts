import type { Logger } from '../logging/logger.js';
import { findSneakpipeError } from './is-retriable.js';
import { SneakpipeError } from './sneakpipe-error.js';

/**
 * An error as one short line for an operator: its message, and the most
 * specific cause beneath it (a driver's `AggregateError` of retries, a
 * `cause` chain) with its system code, e.g.
 * `metadata failed 9 times. (connect ECONNREFUSED 127.0.0.1:1)`. The stack and
 * every nested error stay for debug level.
 */
export function describeError(error: unknown, maxLength = 240): string {
  const top = messageOf(error);
  // A classified error's message was written to be the line (it names the cause already); the code says what kind.
  if (error instanceof SneakpipeError) return clip(top, maxLength);
  const root = rootCause(error);
  const detail = root && root !== error ? messageOf(root) : '';
  return clip(detail && !top.includes(detail) ? `${top} (${detail})` : top, maxLength);
}

const clip = (line: string, maxLength: number) => (line.length > maxLength ? `${line.slice(0, maxLength - 1)}…` : line);

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error).split('\n', 1)[0]!;
  const code = (error as { code?: unknown }).code;
  const message = (error.message || error.name).split('\n', 1)[0]!;
  return typeof code === 'string' && !message.includes(code) ? `${message} [${code}]` : message;
}

/** The deepest error under `error`: through `cause`, and the first of an `AggregateError`'s (or a driver's `errors`). */
function rootCause(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error) || depth > 8) return error;
  const nested = (error as { errors?: unknown }).errors;
  if (Array.isArray(nested) && nested.length > 0) return rootCause(nested.at(-1), depth + 1);
  if (error.cause !== undefined) return rootCause(error.cause, depth + 1);
  return error;
}

/**
 * Logs one failed attempt that will be retried: a short warn line with the
 * error's code, its cause and the next delay, and the full error at debug
 * level. Every retry of the library goes through it, so none is silent.
 */
export function logRetry(log: Logger, what: string, error: unknown, attempt: number, delayMs: number): void {
  const code = findSneakpipeError(error)?.code;
  log.warn(
    { error: describeError(error), ...(code ? { code } : {}), attempt, retryInMs: Math.round(delayMs) },
    `${what} failed, retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt}): ${describeError(error, 160)}`,
  );
  log.debug({ err: error }, `${what} failed (full error)`);
}
