import { consoleLogger, retry, type RecordPosition } from '@sneakpipe/core';
import type { CommitLedger } from './commit-ledger.js';
import type { ConnectorLogger } from './config.js';

/** Kafka error types that mean "this member's view of the group is stale": the commit is dropped, the records replay. */
const FENCED = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID']);
/** Attempts of a commit that fails for a passing reason (coordinator moving, broker restarting). */
const COMMIT_ATTEMPTS = 20;

/** What a client library's error says, once unwrapped: Kafka's error type (e.g. `ILLEGAL_GENERATION`) and whether it passes. */
export interface KafkaErrorKind {
  readonly type: string;
  readonly retriable: boolean;
}

/**
 * Commits offsets the way both Kafka clients must: a commit fenced by a
 * rebalance is dropped (the new owner replays those records, nothing is lost);
 * one that fails for a passing reason is retried with backoff; anything else
 * rejects.
 */
export async function commitWithRetry(
  positions: readonly RecordPosition[],
  commitOnce: () => Promise<void>,
  kindOf: (error: unknown) => KafkaErrorKind,
  logger?: ConnectorLogger,
): Promise<void> {
  const isFenced = (error: unknown) => FENCED.has(kindOf(error).type);
  try {
    await retry(commitOnce, {
      what: 'commit',
      maxAttempts: COMMIT_ATTEMPTS,
      initialDelayMs: 200,
      maxDelayMs: 5_000,
      isRetriable: (error) => !isFenced(error) && kindOf(error).retriable,
      logger: logger ?? consoleLogger, // no retry is silent
    });
  } catch (error) {
    if (!isFenced(error)) throw error;
    logger?.warn({ type: kindOf(error).type, positions }, 'commit fenced by a rebalance; these records will be replayed');
  }
}

/**
 * A group source's `commit`, whatever the client: only the positions of its
 * own topic are committed (with {@link commitWithRetry}), then recorded in
 * the ledger that a rebalance waits on.
 */
export async function commitOwnPositions(
  topic: string,
  positions: readonly RecordPosition[],
  commitOnce: (mine: readonly RecordPosition[]) => Promise<void>,
  kindOf: (error: unknown) => KafkaErrorKind,
  ledger: CommitLedger,
  logger?: ConnectorLogger,
): Promise<void> {
  const mine = positions.filter((p) => p.topic === topic);
  if (mine.length === 0) return;
  await commitWithRetry(
    mine,
    async () => {
      await commitOnce(mine);
      ledger.committed(mine);
    },
    kindOf,
    logger,
  );
}
