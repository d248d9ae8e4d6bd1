import type { SneakpipeError } from './sneakpipe-error.js';

/**
 * Runs `work`, rejecting with its error passed through `map`: how a
 * connector turns its driver's errors into sneakpipe's model (a
 * {@link SneakpipeError} with a `code` and `retriable`) at its boundary, so
 * that `load` retries what is retriable. The built-in connectors do it with
 * theirs (`duckdbError`, `kafkaError`, `snowflakeError`); a warehouse
 * connector of your own wraps each call into its driver the same way.
 *
 * @example
 * ```ts
 * import { mappingErrors, SneakpipeError } from '@sneakpipe/core';
 *
 * declare function driverInsert(sql: string): Promise<number>; // your database driver
 *
 * const myDbError = (error: unknown): SneakpipeError =>
 *   error instanceof SneakpipeError
 *     ? error
 *     : new SneakpipeError('WAREHOUSE_UNAVAILABLE', `my-db: ${String(error)}`, { retriable: true, cause: error });
 *
 * const inserted = await mappingErrors(myDbError, () => driverInsert('INSERT INTO orders VALUES (1)'));
 * ```
 */
export async function mappingErrors<T>(map: (error: unknown) => unknown, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw map(error);
  }
}
