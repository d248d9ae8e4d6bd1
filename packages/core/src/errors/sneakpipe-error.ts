/**
 * The stable codes of {@link SneakpipeError}: what went wrong, in words an
 * operator, a log query or an alert can match on. A connector may use a code
 * of its own (any upper-case string), but these are the ones sneakpipe's own
 * connectors and operators use; see docs/errors.md for the table.
 */
export type ErrorCode =
  /** A setting is wrong (bad value, unreadable key file, malformed key): fixing it takes a person. */
  | 'CONFIG_INVALID'
  /** An attempt took longer than allowed. */
  | 'TIMEOUT'
  /** No Kafka broker could be reached (refused, reset, unresolvable, timed out). */
  | 'BROKER_UNREACHABLE'
  /** The service refused the credentials (password, key, SASL). */
  | 'AUTH_FAILED'
  /** Authenticated, but not allowed (topic/group ACL, missing privilege). */
  | 'NOT_AUTHORIZED'
  /** A database, schema or table does not exist (or the role cannot see it). */
  | 'OBJECT_NOT_FOUND'
  /** The warehouse cannot be reached or is not answering. */
  | 'WAREHOUSE_UNAVAILABLE'
  /** The warehouse file is held by another process. */
  | 'WAREHOUSE_LOCKED'
  /** The warehouse could not read or write its storage. */
  | 'WAREHOUSE_IO'
  /** The warehouse refused a statement or its data (constraint, conversion, SQL error): the same load fails again. */
  | 'WAREHOUSE_REJECTED'
  /** A row does not fit its table (wrong type, fraction in a whole-number column, null in NOT NULL, unknown column): the record goes to the dead letters. */
  | 'ROW_REJECTED'
  /** The row mapping refuses every row: the pipeline stops rather than send every record to the dead letters. */
  | 'ROW_MAPPING'
  /** A stored position moved under a load (another writer got there first). */
  | 'POSITION_CONFLICT'
  /** Bytes that are not a valid value for a codec. */
  | 'CODEC_INVALID'
  /** A Kafka error without a more specific code; `retriable` is what the broker says. */
  | 'KAFKA_ERROR';

/** Options of {@link SneakpipeError}. */
export interface SneakpipeErrorOptions {
  /** Whether trying the same thing again later may succeed. */
  readonly retriable: boolean;
  /** The error underneath (a driver's), kept whole for debug logs. */
  readonly cause?: unknown;
}

/**
 * The base of sneakpipe's errors: a stable {@link ErrorCode} and whether the
 * failed operation is worth retrying. Connectors turn their drivers' errors
 * into these (keeping the driver's error as `cause`), so operators such as
 * `load()` decide to retry or to stop without knowing any driver, and an
 * operator reads one line with the code and the cause.
 *
 * @example
 * ```ts
 * import { SneakpipeError } from '@sneakpipe/core';
 *
 * declare const driverError: Error; // what the driver threw
 * throw new SneakpipeError('AUTH_FAILED', 'Snowflake refused the login: wrong password', { retriable: false, cause: driverError });
 * ```
 */
export class SneakpipeError extends Error {
  override readonly name: string = 'SneakpipeError';
  /** What went wrong, stable across versions (match on this, not on the message). */
  readonly code: ErrorCode;
  /** Whether trying again later may succeed; see `isRetriable`. */
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, options: SneakpipeErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retriable = options.retriable;
  }
}
