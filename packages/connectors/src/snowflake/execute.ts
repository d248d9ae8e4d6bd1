import type snowflake from 'snowflake-sdk';
import type { Row } from '@sneakpipe/core';

/** A connection of snowflake-sdk's pool. */
export type SnowflakeConn = snowflake.Connection;

/** A bound value: array binds carry text and numbers only (timestamps and bytes travel as text). */
export type Bind = string | number | null;

/** Runs one statement on a connection and resolves with its rows; `binds` of rows (`Bind[][]`) insert many rows at once. */
export type RunStatement = (conn: SnowflakeConn, sqlText: string, binds?: Bind[] | Bind[][]) => Promise<Row[]>;

/** A {@link RunStatement} that first hands each statement to `onStatement` (audits and tests; binds are not passed). */
export function statementRunner(onStatement?: (sqlText: string) => void): RunStatement {
  return (conn, sqlText, binds) => {
    onStatement?.(sqlText);
    return execute(conn, sqlText, binds);
  };
}

function execute(conn: SnowflakeConn, sqlText: string, binds?: Bind[] | Bind[][]): Promise<Row[]> {
  return new Promise((resolve, reject) => {
    conn.execute({
      sqlText,
      ...(binds && binds.length > 0 ? { binds: binds as snowflake.Binds } : {}),
      complete: (error, _statement, rows) => (error ? reject(error) : resolve((rows ?? []) as Row[])),
    });
  });
}

/** Driver values as plain JavaScript: timestamps as `Date`, the rest as they are. */
export function plainRow(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = v instanceof Date ? new Date(v.getTime()) : v;
  }
  return out;
}
