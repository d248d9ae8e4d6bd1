/**
 * Reading the shop's dead letters back from a warehouse: the `DEAD_LETTERS`
 * rows (each id once: the table is append-only) joined with what the latest
 * replay made of them (`DEAD_LETTER_REPLAYS`). The SQL is the common subset of
 * DuckDB and Snowflake; values travel as bind parameters.
 */
import { timestampParam, toMs, type Row, type Warehouse } from '@sneakpipe/core';
import { deadLetterCategory } from '../metrics/consumer-metrics.js';

/** What became of a dead letter: never replayed, loaded by a replay, or replayed and still invalid. */
export type DeadLetterState = 'pending' | 'loaded' | 'dead';

/** Which dead letters a command works on; every field narrows, none means all. */
export interface DeadLetterFilter {
  /** The current reason contains this text (case-insensitive), e.g. `schema` or `unknown brand`. */
  readonly reason?: string;
  /** Failed at or after this time, ms since epoch. */
  readonly since?: number;
  /** Failed before this time, ms since epoch. */
  readonly until?: number;
  readonly topic?: string;
  readonly partition?: number;
  readonly state?: DeadLetterState;
}

/** A dead letter as listed: where it came from, why it failed, and its replay state. */
export interface DeadLetterSummary {
  readonly id: string;
  /** The reason today: the latest replay's when it was replayed and still failed, else the original. */
  readonly reason: string;
  /** The reason given when it was first rejected. */
  readonly firstReason: string;
  readonly topic: string | null;
  readonly partition: number | null;
  readonly offset: number | null;
  /** When it was first rejected, ms since epoch. */
  readonly failedAt: number;
  readonly state: DeadLetterState;
  /** When the latest replay ran, ms since epoch. */
  readonly replayedAt: number | null;
}

/** A dead letter with its original bytes and every replay attempt. */
export interface DeadLetterDetail extends DeadLetterSummary {
  readonly raw: Uint8Array;
  readonly replays: readonly {
    readonly result: 'loaded' | 'dead';
    readonly reason: string | null;
    readonly eventId: string | null;
    readonly at: number;
  }[];
}

/** How many dead letters match, by reason category (the label of `sneaker_dead_letters_total`). */
export interface DeadLetterCounts {
  readonly total: number;
  readonly byReason: Readonly<Record<string, number>>;
  readonly byState: Readonly<Record<DeadLetterState, number>>;
}

type Queryable = Pick<Warehouse, 'query' | 'table'>;

const orNull = <T>(value: unknown, as: (v: unknown) => T): T | null => (value === null || value === undefined ? null : as(value));

/**
 * The dead letters with their latest replay, one row per id, as a subquery
 * `dl`. Loaded wins over dead: once a replay loaded a dead letter it stays
 * loaded whatever a later attempt found. (`CHANGED_AT` is never null: the
 * Snowflake emulator hangs on a timestamp column that is null from an outer join.)
 */
function deadLettersWithState(w: Queryable, withRaw: boolean): string {
  return `(SELECT d.DEAD_LETTER_ID, d.REASON AS FIRST_REASON, COALESCE(r.REASON, d.REASON) AS REASON,
            d.SOURCE_TOPIC, d.SOURCE_PARTITION, d.SOURCE_OFFSET, d.FAILED_AT,
            COALESCE(r.RESULT, 'pending') AS STATE,
            COALESCE(r.REPLAYED_AT, d.FAILED_AT) AS CHANGED_AT${withRaw ? ', d.RAW_VALUE' : ''}
     FROM (SELECT * FROM ${w.table('DEAD_LETTERS')}
           QUALIFY ROW_NUMBER() OVER (PARTITION BY DEAD_LETTER_ID ORDER BY PROCESSED_AT, FAILED_AT) = 1) d
     LEFT JOIN (SELECT DEAD_LETTER_ID, RESULT, REASON, REPLAYED_AT FROM ${w.table('DEAD_LETTER_REPLAYS')}
           QUALIFY ROW_NUMBER() OVER (PARTITION BY DEAD_LETTER_ID
                                      ORDER BY CASE WHEN RESULT = 'loaded' THEN 0 ELSE 1 END, REPLAYED_AT DESC) = 1) r
       ON r.DEAD_LETTER_ID = d.DEAD_LETTER_ID) dl`;
}

/** The WHERE clause and its parameters for a filter (always a clause: `1 = 1` when empty). */
export function filterClause(filter: DeadLetterFilter): { sql: string; params: unknown[] } {
  const parts = ['1 = 1'];
  const params: unknown[] = [];
  if (filter.reason !== undefined) {
    parts.push('LOWER(dl.REASON) LIKE ?');
    params.push(`%${filter.reason.toLowerCase().replace(/[%_\\]/g, '')}%`);
  }
  if (filter.since !== undefined) {
    parts.push('dl.FAILED_AT >= CAST(? AS TIMESTAMP)');
    params.push(timestampParam(filter.since));
  }
  if (filter.until !== undefined) {
    parts.push('dl.FAILED_AT < CAST(? AS TIMESTAMP)');
    params.push(timestampParam(filter.until));
  }
  if (filter.topic !== undefined) {
    parts.push('dl.SOURCE_TOPIC = ?');
    params.push(filter.topic);
  }
  if (filter.partition !== undefined) {
    parts.push('dl.SOURCE_PARTITION = ?');
    params.push(filter.partition);
  }
  if (filter.state !== undefined) {
    parts.push('dl.STATE = ?');
    params.push(filter.state);
  }
  return { sql: parts.join(' AND '), params };
}

function summaryOf(r: Row): DeadLetterSummary {
  return {
    id: String(r.DEAD_LETTER_ID),
    reason: String(r.REASON),
    firstReason: String(r.FIRST_REASON),
    topic: orNull(r.SOURCE_TOPIC, String),
    partition: orNull(r.SOURCE_PARTITION, Number),
    offset: orNull(r.SOURCE_OFFSET, Number),
    failedAt: toMs(r.FAILED_AT),
    state: String(r.STATE) as DeadLetterState,
    replayedAt: String(r.STATE) === 'pending' ? null : toMs(r.CHANGED_AT),
  };
}

/** Bytes from what a driver returns for a binary column (Uint8Array, Buffer, or DuckDB's blob value). */
export function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  const bytes = (value as { bytes?: unknown } | null)?.bytes;
  if (bytes instanceof Uint8Array) return bytes;
  if (typeof value === 'string') return new TextEncoder().encode(value);
  throw new Error(`cannot read a binary value of type ${typeof value}`);
}

/** The dead letters matching `filter`, oldest first, at most `limit` (default 100). */
export async function listDeadLetters(w: Queryable, filter: DeadLetterFilter = {}, limit = 100): Promise<DeadLetterSummary[]> {
  const where = filterClause(filter);
  const rows = await w.query(
    `SELECT * FROM ${deadLettersWithState(w, false)} WHERE ${where.sql} ORDER BY dl.FAILED_AT, dl.DEAD_LETTER_ID LIMIT ${Math.max(0, Math.floor(limit))}`,
    where.params,
  );
  return rows.map(summaryOf);
}

/** How many dead letters match `filter`, by reason category and by state. */
export async function countDeadLetters(w: Queryable, filter: DeadLetterFilter = {}): Promise<DeadLetterCounts> {
  const where = filterClause(filter);
  const rows = await w.query(
    `SELECT dl.REASON, dl.STATE, COUNT(*) AS N FROM ${deadLettersWithState(w, false)} WHERE ${where.sql} GROUP BY dl.REASON, dl.STATE`,
    where.params,
  );
  const byReason: Record<string, number> = {};
  const byState: Record<DeadLetterState, number> = { pending: 0, loaded: 0, dead: 0 };
  let total = 0;
  for (const r of rows) {
    const n = Number(r.N);
    const category = deadLetterCategory({ reason: String(r.REASON) });
    byReason[category] = (byReason[category] ?? 0) + n;
    byState[String(r.STATE) as DeadLetterState] += n;
    total += n;
  }
  return { total, byReason, byState };
}

/** One dead letter by id (`topic:partition:offset` for records from a topic), with its bytes and replays. */
export async function getDeadLetter(w: Queryable, id: string): Promise<DeadLetterDetail | undefined> {
  const [row] = await w.query(`SELECT * FROM ${deadLettersWithState(w, true)} WHERE dl.DEAD_LETTER_ID = ?`, [id]);
  if (!row) return undefined;
  const replays = await w.query(
    `SELECT RESULT, REASON, EVENT_ID, REPLAYED_AT FROM ${w.table('DEAD_LETTER_REPLAYS')} WHERE DEAD_LETTER_ID = ? ORDER BY REPLAYED_AT`,
    [id],
  );
  return {
    ...summaryOf(row),
    raw: toBytes(row.RAW_VALUE),
    replays: replays.map((r) => ({
      result: String(r.RESULT) as 'loaded' | 'dead',
      reason: orNull(r.REASON, String),
      eventId: orNull(r.EVENT_ID, String),
      at: toMs(r.REPLAYED_AT),
    })),
  };
}

/** A page of dead letters to replay, with their bytes: not loaded yet, matching `filter`, ids after `after`, in id order. */
export async function replayCandidates(
  w: Queryable,
  filter: DeadLetterFilter,
  after: string | undefined,
  limit: number,
): Promise<(DeadLetterSummary & { raw: Uint8Array })[]> {
  const where = filterClause(filter);
  const rows = await w.query(
    `SELECT * FROM ${deadLettersWithState(w, true)}
     WHERE ${where.sql} AND dl.STATE <> 'loaded'${after === undefined ? '' : ' AND dl.DEAD_LETTER_ID > ?'}
     ORDER BY dl.DEAD_LETTER_ID LIMIT ${Math.max(1, Math.floor(limit))}`,
    after === undefined ? where.params : [...where.params, after],
  );
  return rows.map((r) => ({ ...summaryOf(r), raw: toBytes(r.RAW_VALUE) }));
}

/** Of these dead-letter ids, those a replay has already loaded. */
export async function alreadyReplayed(w: Queryable, ids: readonly string[]): Promise<Set<string>> {
  const loaded = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await w.query(
      `SELECT DISTINCT DEAD_LETTER_ID FROM ${w.table('DEAD_LETTER_REPLAYS')} WHERE RESULT = 'loaded' AND DEAD_LETTER_ID IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
    for (const r of rows) loaded.add(String(r.DEAD_LETTER_ID));
  }
  return loaded;
}
