import { PositionConflictError, type PositionAdvance } from '@sneakpipe/core';
import type { SnowflakeConnectionConfig } from './config.js';
import type { RunStatement, SnowflakeConn } from './execute.js';
import { advancePositionsSql, insertFirstPositionsSql, selectPositionsSql } from './sql.js';

/**
 * The stored next offset of each partition of `topic` for `group`: from `LOAD_POSITIONS`, and with `streamed` the
 * highest of it and of `STREAMED_POSITIONS` (where the Snowpipe Streaming load method records its positions), so
 * either method resumes where the other stopped.
 */
export async function storedPositions(
  conn: SnowflakeConn,
  run: RunStatement,
  { database, schema }: SnowflakeConnectionConfig,
  group: string,
  topic: string,
  streamed = false,
): Promise<ReadonlyMap<number, number>> {
  const rows = await run(conn, selectPositionsSql(database, schema, streamed), streamed ? [group, group] : [group]);
  const positions = new Map<number, number>();
  for (const r of rows.filter((r) => r.TOPIC === topic)) {
    const partition = Number(r.PARTITION);
    positions.set(partition, Math.max(positions.get(partition) ?? 0, Number(r.NEXT_OFFSET)));
  }
  return positions;
}

/**
 * Inside a load's transaction, with the advances staged (`POSITION_ADVANCES`):
 * compare-and-set of every position, or a {@link PositionConflictError}
 * listing the positions found where they were not the expected ones.
 */
export async function compareAndSetPositions(
  conn: SnowflakeConn,
  run: RunStatement,
  { database, schema }: SnowflakeConnectionConfig,
  group: string,
  advances: readonly PositionAdvance[],
): Promise<void> {
  const changed = async (sqlText: string) =>
    Object.entries((await run(conn, sqlText))[0] ?? {})
      .filter(([k]) => /^number of rows (inserted|updated)$/i.test(k))
      .reduce((n, [, v]) => n + Number(v), 0);
  const moved = (await changed(advancePositionsSql(database, schema))) + (await changed(insertFirstPositionsSql(database, schema)));
  if (moved === advances.length) return;
  const stored = new Map(
    (await run(conn, selectPositionsSql(database, schema), [group])).map((r) => [`${r.PARTITION}/${r.TOPIC}`, Number(r.NEXT_OFFSET)]),
  );
  throw new PositionConflictError(
    advances
      .map((a) => ({ topic: a.topic, partition: a.partition, expected: a.from, stored: stored.get(`${a.partition}/${a.topic}`) ?? null }))
      .filter((c) => c.stored !== c.expected),
  );
}

/**
 * Runs the position statements of a load, reporting a write conflict (SQLSTATE
 * 40001: another transaction changed the same position rows; the emulator's
 * DuckDB refuses at once where Snowflake would make it wait) as the
 * {@link PositionConflictError} it is: the writer reads the positions again.
 */
export async function asPositionConflict(advances: readonly PositionAdvance[], work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if ((error as { sqlState?: string }).sqlState !== '40001') throw error;
    throw new PositionConflictError(advances.map((a) => ({ topic: a.topic, partition: a.partition, expected: a.from, stored: null })));
  }
}
