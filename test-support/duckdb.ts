import { DuckDBInstance } from '@duckdb/node-api';

/**
 * Runs a query on a DuckDB file with a separate, read-only DuckDB instance —
 * an independent check that never goes through the connector under test.
 */
export async function queryDuckDbFile(path: string, sql: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowsJS();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Where a warehouse test runs DuckDB: on the test's thread (the sources'
 * engine), and on a thread of its own as users run it, by default (from the
 * sources, the build's `duckdb-thread.js`, which the test setup builds first;
 * `true`: never falling back to the calling thread).
 */
export const DUCKDB_THREADS: readonly (readonly [string, boolean])[] = [
  ['on the calling thread', false],
  ['on its own thread', true],
];
