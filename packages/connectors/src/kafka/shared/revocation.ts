import { CommitLedger } from './commit-ledger.js';
import type { ConnectorLogger } from './config.js';

/**
 * Longest wait, at a rebalance, for what a member handed out to be committed
 * before it rejoins. Members already rejoined wait for it in their JoinGroup
 * (bounded by the rebalance timeout, 60 s and more in both clients), so it is
 * kept well below; it covers a batch's wait plus a slow load.
 */
export const REVOKE_BUDGET_MS = 15_000;

/** What a group member runs before each JoinGroup, in either client: resolves when the member may rejoin. */
export type BeforeRejoin = (heartbeat: () => Promise<void>) => Promise<void>;

/**
 * A member's side of an eager rebalance, shared by both clients: once the
 * group rebalances, no record is handed out until the member has rejoined;
 * before it sends JoinGroup it waits (heartbeating) until its commits cover
 * what it handed out, so the next owner of each partition starts right after
 * the last record this member loaded (see {@link CommitLedger}). Past the
 * budget it rejoins anyway and says so: the next owner may then load those
 * records again, which a shared warehouse's positions absorb.
 */
export class Revocation {
  readonly ledger = new CommitLedger();
  /** A rebalance is under way: nothing is handed out until {@link joined}. */
  revoking = false;

  constructor(
    private readonly logger?: ConnectorLogger,
    private readonly budgetMs = REVOKE_BUDGET_MS,
  ) {}

  /** The group started a rebalance (the client saw REBALANCE_IN_PROGRESS). */
  started(): void {
    this.revoking = true;
  }

  /** Runs before this member sends JoinGroup; `heartbeat` keeps it in the group meanwhile. */
  async beforeRejoin(heartbeat?: () => Promise<void>, heartbeatMs?: number): Promise<void> {
    this.revoking = true;
    const waiting = this.ledger.outstanding;
    if (waiting.length === 0) return;
    this.logger?.info({ partitions: waiting }, 'rebalance: committing what this member handed out before it gives up its partitions');
    const started = Date.now();
    if (await this.ledger.settle(this.budgetMs, heartbeat, heartbeatMs)) {
      this.logger?.info({ ms: Date.now() - started }, 'rebalance: everything handed out is committed; rejoining');
      return;
    }
    this.logger?.warn(
      { partitions: this.ledger.outstanding, ms: this.budgetMs },
      'rebalance: records handed out are still not committed; rejoining anyway (their next owner may load them again)',
    );
  }

  /** The member rejoined and owns `partitions`. */
  joined(partitions: readonly number[]): void {
    this.revoking = false;
    this.ledger.keep(partitions);
  }
}
