/**
 * The stable codes of {@link SneakpipeError}, one key each: what went wrong,
 * in words an operator, a log query or an alert can match on (docs/errors.md
 * has the table). These are the codes any connector may raise, none about a
 * particular driver. A connector adds codes of its own kind by merging into
 * this interface next to the mapping that raises them, as the Kafka
 * connector does with `KAFKA_ERROR`.
 *
 * @example
 * ```ts
 * import { SneakpipeError } from '@sneakpipe/core';
 *
 * declare module '@sneakpipe/core' {
 *   interface ErrorCodes {
 *     QUEUE_ERROR: true; // the queue refused a message for a reason of its own
 *   }
 * }
 *
 * throw new SneakpipeError('QUEUE_ERROR', 'the queue refused the message', { retriable: false });
 * ```
 */
export interface ErrorCodes {
  /** A setting is wrong (bad value, unreadable key file, malformed key): fixing it takes a person. */
  CONFIG_INVALID: true;
  /** An attempt took longer than allowed. */
  TIMEOUT: true;
  /** No message broker could be reached (refused, reset, unresolvable, timed out). */
  BROKER_UNREACHABLE: true;
  /** The service refused the credentials (password, key, SASL). */
  AUTH_FAILED: true;
  /** Authenticated, but not allowed (topic/group ACL, missing privilege). */
  NOT_AUTHORIZED: true;
  /** A database, schema or table does not exist (or the role cannot see it). */
  OBJECT_NOT_FOUND: true;
  /** The warehouse cannot be reached or is not answering. */
  WAREHOUSE_UNAVAILABLE: true;
  /** The warehouse file is held by another process. */
  WAREHOUSE_LOCKED: true;
  /** The warehouse could not read or write its storage. */
  WAREHOUSE_IO: true;
  /** The warehouse refused a statement or its data (constraint, conversion, SQL error): the same load fails again. */
  WAREHOUSE_REJECTED: true;
  /** A row does not fit its table (wrong type, fraction in a whole-number column, null in NOT NULL, unknown column): the record goes to the dead letters. */
  ROW_REJECTED: true;
  /** The row mapping refuses every row: the pipeline stops rather than send every record to the dead letters. */
  ROW_MAPPING: true;
  /** A stored position moved under a load (another writer got there first). */
  POSITION_CONFLICT: true;
  /** Bytes that are not a valid value for a codec. */
  CODEC_INVALID: true;
}

/**
 * One of the {@link ErrorCodes}: core's, plus those the connectors in use add.
 *
 * @example
 * ```ts
 * import { findSneakpipeError, type ErrorCode } from '@sneakpipe/core';
 *
 * declare const error: unknown;
 * const code: ErrorCode | undefined = findSneakpipeError(error)?.code;
 * if (code === 'AUTH_FAILED') console.error('check the credentials');
 * ```
 */
export type ErrorCode = keyof ErrorCodes;

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
