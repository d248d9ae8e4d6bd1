import {
  consoleLogger,
  logRetry,
  sleep,
  backoffDelay,
  type Codec,
  isRetriable,
  type RecordPosition,
  PositionConflictError,
  type RetryOptions,
  type Warehouse,
} from '@sneakpipe/core';

import { orderEventCodec } from '../codec/order-event-codec.js';
import type { ReceivedOrderEvent } from '../domain/order-event.js';
import { DEAD_LETTER_REPLAYS, STREAMING_ORDERS } from '../domain/warehouse-tables.js';
import { streamingOrderRow, type StreamingOrderRowOptions } from '../domain/warehouse-rows.js';
import { alreadyReplayed, replayCandidates, type DeadLetterFilter } from './dead-letter-store.js';

/**
 * The position every replay advances by one in the transaction of each batch
 * (the `sneakpipe-dead-letter-replay` group in `LOAD_POSITIONS`). It
 * serializes replays: two running at once cannot both load a dead letter,
 * because the second one's compare-and-set fails and it reads again what is
 * left to replay. Its partition, -1, says it is a lock and not a Kafka
 * partition: a warehouse that keeps Kafka partitions apart (Snowpipe
 * Streaming's channels) loads it in one transaction.
 */
const REPLAY_LOCK = { group: 'sneakpipe-dead-letter-replay', topic: 'DEAD_LETTERS', partition: -1 } as const;

/** A dead letter to run through today's validation again. */
export interface ReplayCandidate {
  readonly id: string;
  readonly raw: Uint8Array;
  /** Where it came from: a valid event keeps it (`KAFKA_PARTITION`, `KAFKA_OFFSET`, a derived `EVENT_ID`). */
  readonly position?: RecordPosition;
}

/** What one replay did. */
export interface ReplaySummary {
  /** Dead letters looked at (already loaded ones excluded). */
  readonly considered: number;
  /** Now valid: loaded into STREAMING_ORDERS. */
  readonly loaded: number;
  /** Still invalid: marked with today's reason. */
  readonly stillDead: number;
  /** Compare-and-set conflicts with another replay (each made this one read again). */
  readonly conflicts: number;
}

/** Options of {@link replayBatch} and {@link replayDeadLetters}. */
export interface ReplayOptions extends StreamingOrderRowOptions {
  warehouse: Pick<Warehouse, 'append' | 'positions' | 'query' | 'table'>;
  /** Today's validation. Default {@link orderEventCodec}. */
  codec?: Codec<ReceivedOrderEvent>;
  /** Decode and count, write nothing. */
  dryRun?: boolean;
  /** After each batch, with the running totals. */
  onBatch?: (progress: ReplaySummary) => void;
  /**
   * How a batch whose write failed with a passing error (a dropped connection,
   * a lock or catalog conflict in the warehouse) is tried again. A replay is a
   * command someone waits for, so it gives up after a few attempts (default 6,
   * waiting up to 6 s in all) where the consumer waits forever. Retrying is safe: each
   * batch is one transaction, and a retry first reads again what is replayed.
   */
  retry?: RetryOptions;
}

const MAX_CONFLICTS = 50;
const DEFAULT_RETRY = { maxAttempts: 6, initialDelayMs: 200, maxDelayMs: 3_000 } satisfies RetryOptions;

/**
 * Replays one batch of dead letters you hold (read from the `<topic>.dlq`
 * topic, say, rather than the `DEAD_LETTERS` table) exactly once: drops those
 * a replay has already loaded, decodes the rest with today's codec, and in one
 * transaction appends the valid events to STREAMING_ORDERS, a
 * `DEAD_LETTER_REPLAYS` row for every candidate, and advances the replays'
 * own position (so that two replays at once cannot both load a record) —
 * retrying from the top when another replay moved it first.
 * {@link replayDeadLetters} does this, batch after batch, for the table's
 * dead letters; {@link addSummaries} totals the batches' summaries.
 *
 * @example
 * ```ts
 * import type { Warehouse } from '@sneakpipe/core';
 * import { EMPTY_SUMMARY, addSummaries, replayBatch, type ReplayCandidate } from '@sneakpipe/sneakers';
 *
 * declare const warehouse: Warehouse; // the one the consumer loads
 * declare const batches: ReplayCandidate[][]; // e.g. read from the dead-letter topic, with their ids and positions
 * let total = EMPTY_SUMMARY;
 * for (const batch of batches) total = addSummaries(total, await replayBatch({ warehouse }, batch));
 * console.log(`${total.loaded} loaded, ${total.stillDead} still invalid`);
 * ```
 */
export async function replayBatch(options: ReplayOptions, batch: readonly ReplayCandidate[]): Promise<ReplaySummary> {
  const { warehouse } = options;
  const codec = options.codec ?? orderEventCodec;
  const rowOptions = options.qualityFlags ? { qualityFlags: options.qualityFlags } : {};
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const worthRetrying = retry.isRetriable ?? isRetriable;
  for (let conflicts = 0, failures = 0; ;) {
    // Read the lock first: whatever another replay commits after this read moves it, and our append then fails.
    const stored = (await warehouse.positions(REPLAY_LOCK.group, REPLAY_LOCK.topic)).get(REPLAY_LOCK.partition) ?? null;
    const done = await alreadyReplayed(
      warehouse,
      batch.map((c) => c.id),
    );
    const orders: unknown[][] = [];
    const replays: unknown[][] = [];
    for (const candidate of batch) {
      if (done.has(candidate.id)) continue;
      try {
        const value = codec.decode(candidate.raw);
        const row = streamingOrderRow(
          { ok: true, value, sizeBytes: candidate.raw.byteLength, ...(candidate.position ? { position: candidate.position } : {}) },
          rowOptions,
        );
        orders.push(row);
        replays.push([candidate.id, 'loaded', null, row[0]]);
      } catch (error) {
        replays.push([candidate.id, 'dead', error instanceof Error ? error.message : String(error), null]);
      }
    }
    const summary = { considered: replays.length, loaded: orders.length, stillDead: replays.length - orders.length, conflicts };
    if (options.dryRun || replays.length === 0) return summary;
    try {
      await warehouse.append({
        tables: [
          { table: STREAMING_ORDERS, rows: orders as never },
          { table: DEAD_LETTER_REPLAYS, rows: replays as never },
        ],
        group: REPLAY_LOCK.group,
        positions: [{ topic: REPLAY_LOCK.topic, partition: REPLAY_LOCK.partition, from: stored, to: (stored ?? 0) + 1 }],
      });
      return summary;
    } catch (error) {
      if (error instanceof PositionConflictError) {
        if (++conflicts > MAX_CONFLICTS) throw error;
        continue;
      }
      if (++failures >= retry.maxAttempts || !worthRetrying(error)) throw error;
      const delayMs = backoffDelay(failures, retry);
      // Never silent: the caller's hook says it, or a warn line does.
      if (retry.onRetry) retry.onRetry(error, failures, delayMs);
      else logRetry(consoleLogger, 'dead-letter replay', error, failures, delayMs);
      await sleep(delayMs);
    }
  }
}

/** Adds two replays' summaries, field by field: the total of several {@link replayBatch} calls (see its example). */
export const addSummaries = (a: ReplaySummary, b: ReplaySummary): ReplaySummary => ({
  considered: a.considered + b.considered,
  loaded: a.loaded + b.loaded,
  stillDead: a.stillDead + b.stillDead,
  conflicts: a.conflicts + b.conflicts,
});

/** The summary of a replay that did nothing: where a total of {@link replayBatch} summaries starts (see its example). */
export const EMPTY_SUMMARY: ReplaySummary = { considered: 0, loaded: 0, stillDead: 0, conflicts: 0 };

/**
 * Runs the warehouse's dead letters that match `filter` through today's
 * validation, exactly once: a now-valid record is loaded once however often
 * replay runs, crashes or runs twice at the same time; what still fails stays
 * a dead letter and gets a `dead` replay row with its new reason. Nothing is
 * deleted. Batches of `batchSize` (default 1,000), each its own transaction,
 * in dead-letter id order.
 *
 * @example
 * ```ts
 * import type { Warehouse } from '@sneakpipe/core';
 * import { replayDeadLetters } from '@sneakpipe/sneakers';
 *
 * declare const warehouse: Warehouse; // the one the consumer loads
 * const summary = await replayDeadLetters({ warehouse, filter: { reason: 'unknown brand' } });
 * console.log(`${summary.loaded} loaded, ${summary.stillDead} still invalid`);
 * ```
 */
export async function replayDeadLetters(
  options: ReplayOptions & { filter?: DeadLetterFilter; batchSize?: number },
): Promise<ReplaySummary> {
  let total = EMPTY_SUMMARY;
  let after: string | undefined;
  for (;;) {
    const page = await replayCandidates(options.warehouse, options.filter ?? {}, after, options.batchSize ?? 1000);
    if (page.length === 0) return total;
    after = page.at(-1)!.id;
    const candidates = page.map((d) => ({
      id: d.id,
      raw: d.raw,
      ...(d.topic !== null && d.partition !== null && d.offset !== null
        ? { position: { topic: d.topic, partition: d.partition, offset: d.offset } }
        : {}),
    }));
    total = addSummaries(total, await replayBatch(options, candidates));
    options.onBatch?.(total);
  }
}
