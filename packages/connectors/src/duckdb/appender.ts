import type { DuckDBAppender } from '@duckdb/node-api';

/**
 * Runs `write` on an appender, flushes and closes it, failing with the first
 * error. When a flush fails (a NOT NULL column given a null, say), DuckDB
 * aborts the transaction and closing the appender fails too, with only
 * `Current transaction is aborted (please ROLLBACK)`: a `finally` that closed
 * it threw that second error in place of the first, so the cause was lost and
 * the load, unrecognised, was retried for ever.
 */
export function appendAll(appender: DuckDBAppender, write: (appender: DuckDBAppender) => void): void {
  try {
    write(appender);
    appender.flushSync();
  } catch (error) {
    try {
      appender.closeSync();
    } catch {
      // The first error says why; this one only says the transaction is aborted.
    }
    throw error;
  }
  appender.closeSync();
}
