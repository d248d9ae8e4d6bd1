import { SneakpipeError, mappingErrors } from '@sneakpipe/core';

/** DuckDB's error classes that mean the statement or its data is refused: the same load fails again. */
const REJECTED = /^(Constraint|Conversion|Invalid Input|Binder|Parser|Mismatch Type|Out of Range|Invalid type|Not implemented) Error/;
/**
 * DuckDB's appender reports the error of a flush without its class:
 * `Failed to append: NOT NULL constraint failed: EVENTS.N`.
 */
const APPENDER = /^Failed to append: /;
const CONSTRAINT = /\bconstraint (failed|violation)\b/i;
/** Storage failures a person must fix (retrying does not create a permission or a writable disk). */
const STORAGE_PERMANENT = /Permission denied|Read-only file system|Is a directory|Not a directory/i;

/**
 * A `@duckdb/node-api` error as sneakpipe's error model (docs/errors.md), the
 * message kept (it names the file and, for a lock, the PID holding it) and the
 * driver's error as `cause`:
 *
 * - the file locked by another process (`Conflicting lock is held`) →
 *   `WAREHOUSE_LOCKED`, retriable: the other process (a `seed`, a report run,
 *   a consumer shutting down) lets go of it, and a loader waits for its
 *   warehouse as it waits for a broker;
 * - other `IO Error`s → `WAREHOUSE_IO`, retriable (a full disk can be freed)
 *   unless the OS refused access (permission, read-only file system);
 * - a missing table or schema (`Catalog Error`) → `OBJECT_NOT_FOUND`;
 * - constraint, conversion, binder and parser errors → `WAREHOUSE_REJECTED`,
 *   not retriable; so are the constraint failures of an appender's flush
 *   (`Failed to append: NOT NULL constraint failed: …`).
 *
 * Anything else is returned as it is (and so retried, see `isRetriable`).
 */
export function duckdbError(error: unknown): unknown {
  if (error instanceof SneakpipeError || !(error instanceof Error)) return error;
  const message = error.message;
  const as = (code: ConstructorParameters<typeof SneakpipeError>[0], retriable: boolean) =>
    new SneakpipeError(code, message, { retriable, cause: error });
  if (/Conflicting lock is held|Could not set lock on file/.test(message)) return as('WAREHOUSE_LOCKED', true);
  const detail = message.replace(APPENDER, '');
  if (/^IO Error/.test(detail)) return as('WAREHOUSE_IO', !STORAGE_PERMANENT.test(detail));
  if (/^Catalog Error/.test(detail)) return as('OBJECT_NOT_FOUND', false);
  if (REJECTED.test(detail) || (detail !== message && CONSTRAINT.test(detail))) return as('WAREHOUSE_REJECTED', false);
  return error;
}

/** Runs `work`, rejecting with its error mapped by {@link duckdbError}. */
export function mappingDuckdbErrors<T>(work: () => Promise<T>): Promise<T> {
  return mappingErrors(duckdbError, work);
}
