import type { RecordPosition } from '@sneakpipe/core';
import type { CommitLedger } from './commit-ledger.js';
import type { ConnectorLogger } from './config.js';

/** Kafka error types that mean "this member's view of the group is stale": the commit is dropped, the records replay. */
const FENCED = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID']);
/** Attempts of a commit that fails for a passing reason (coordinator moving, broker restarting). */
const COMMIT_ATTEMPTS = 20;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

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
  for (let attempt = 1; ; attempt++) {
    try {
      return await commitOnce();
    } catch (error) {
      const { type, retriable } = kindOf(error);
      if (FENCED.has(type)) {
        logger?.warn({ type, positions }, 'commit fenced by a rebalance; these records will be replayed');
        return;
      }
      if (!retriable || attempt >= COMMIT_ATTEMPTS) throw error;
      logger?.warn({ type, attempt }, 'commit failed, retrying');
      await sleep(Math.min(5_000, 200 * 2 ** attempt));
    }
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
