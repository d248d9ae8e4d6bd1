import { ConfigError, SneakpipeError, mappingErrors, transientNetworkCode } from '@sneakpipe/core';

/** Login errors of Snowflake (`390xxx`) that a new session fixes by itself: an expired or dropped session. */
const PASSING_LOGIN_CODES = new Set(['390112', '390114']);

/** A network failure as the driver's pool reports it: a new `Error` with only the message (`connect ECONNREFUSED …`). */
const POOL_NETWORK_FAILURE =
  /^(connect|getaddrinfo|read|write) (ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE)\b/;

/**
 * A `snowflake-sdk` error as sneakpipe's error model (docs/errors.md), the
 * driver's error kept as `cause` and its message kept as the message:
 *
 * - the driver's own network failures, HTTP failures and SQLSTATE class 08
 *   (connection), and the bare network errors of its pool's connections →
 *   `WAREHOUSE_UNAVAILABLE`, retriable;
 * - login refused (`390xxx`: wrong password, invalid key, locked user) →
 *   `AUTH_FAILED`, not retriable (except an expired session);
 * - insufficient privileges (`003001`, SQLSTATE 42501) → `NOT_AUTHORIZED`;
 * - an object that does not exist or that the role may not see (`002003`) →
 *   `OBJECT_NOT_FOUND`; no active warehouse (`000606`) → `CONFIG_INVALID`;
 * - other SQL compilation, data and integrity errors (SQLSTATE 42, 22, 23) →
 *   `WAREHOUSE_REJECTED`: the same statement fails again;
 * - invalid connection options (the driver's `InvalidParameterError`, e.g. a
 *   private key that is not PEM) → `CONFIG_INVALID`.
 *
 * Anything else is returned as it is (and so retried, see `isRetriable`).
 */
export function snowflakeError(error: unknown): unknown {
  if (error instanceof SneakpipeError || !(error instanceof Error)) return error;
  const e = error as Error & { code?: unknown; sqlState?: unknown };
  const code = e.code === undefined ? '' : String(e.code);
  const sqlState = typeof e.sqlState === 'string' ? e.sqlState : '';
  const as = (kind: ConstructorParameters<typeof SneakpipeError>[0], retriable: boolean) =>
    new SneakpipeError(kind, e.message, { retriable, cause: error });
  if (e.name === 'InvalidParameterError' || e.name === 'MissingParameterError') return new ConfigError(e.message, { cause: error });
  if (/^390\d{3}$/.test(code)) return as('AUTH_FAILED', PASSING_LOGIN_CODES.has(code));
  if (code === '003001' || sqlState === '42501') return as('NOT_AUTHORIZED', false);
  if (code === '002003') return as('OBJECT_NOT_FOUND', false);
  if (code === '000606') return as('CONFIG_INVALID', false);
  if (
    e.name === 'NetworkError' ||
    e.name === 'RequestFailedError' ||
    sqlState.startsWith('08') ||
    transientNetworkCode(error) ||
    POOL_NETWORK_FAILURE.test(e.message)
  ) {
    return as('WAREHOUSE_UNAVAILABLE', true);
  }
  if (/^(42|22|23)/.test(sqlState)) return as('WAREHOUSE_REJECTED', false);
  return error;
}

/** Runs `work`, rejecting with its error mapped by {@link snowflakeError}. */
export function mappingSnowflakeErrors<T>(work: () => Promise<T>): Promise<T> {
  return mappingErrors(snowflakeError, work);
}
