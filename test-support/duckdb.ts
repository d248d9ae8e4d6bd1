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
