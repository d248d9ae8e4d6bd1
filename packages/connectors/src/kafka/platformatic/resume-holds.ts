import type { RecordPosition, SourceRecord } from '@sneakpipe/core';
import { askUntilAnswered } from '../shared/ask-until-answered.js';
import type { ConnectorLogger } from '../shared/config.js';
import type { GroupSourceOptions } from '../shared/kafka-client.js';
import { resumePositions } from '../shared/regained-partitions.js';

type ResumeFrom = NonNullable<GroupSourceOptions['resumeFrom']>;

/** What {@link ResumeHolds} needs of its source. */
export interface ResumeHost {
  readonly topic: string;
  readonly logger: ConnectorLogger | undefined;
  /** The group's committed offsets of `partitions` (those with one). */
  committed(partitions: readonly number[]): Promise<ReadonlyMap<number, number>>;
  commit(positions: readonly RecordPosition[]): Promise<void>;
  /** Hands a record out (once). */
  handOut(record: SourceRecord): void;
  pauseStream(): void;
  /** Resumes the fetch stream unless something else keeps it paused. */
  resumeStream(): void;
  /** Reopens the fetch stream, which rejoins the group and fetches from the committed offsets. */
  refetch(): void;
}

/**
 * Where gained partitions resume, without a seek (`@platformatic/kafka` has
 * none): their records are held (and the stream paused) until `resumeFrom`
 * answers. The stream fetches from the group's committed offsets: where one is
 * past the position to resume from (set by hand, or the warehouse restored
 * from a backup), that position is committed and the stream reopened, once,
 * so that it fetches from there. Otherwise the position is committed too, so
 * lag tools see where loading stands; what is fetched below it, the sink
 * drops and counts.
 */
export class ResumeHolds {
  /** Per gained partition whose start is not settled yet: the records held meanwhile. */
  private readonly held = new Map<number, SourceRecord[]>();
  /** Partitions whose stream was reopened once to fetch from the resume position: not again (no loop). */
  private readonly refetched = new Set<number>();

  constructor(private readonly host: ResumeHost) {}

  /** Some partition's start is not settled yet: the stream stays paused. */
  get holding(): boolean {
    return this.held.size > 0;
  }

  /** After a join: partitions no longer owned are not waited for. */
  keepOnly(mine: readonly number[]): void {
    for (const p of this.held.keys()) if (!mine.includes(p)) this.held.delete(p);
  }

  /** A record of a partition whose start is not settled yet is held; any other is handed out. */
  settle(record: SourceRecord): void {
    const held = this.held.get(record.partition);
    if (held) held.push(record);
    else this.host.handOut(record);
  }

  /** Asks where `partitions` resume, holding their records until it answers, as long as `current()` holds. */
  resume(resumeFrom: ResumeFrom, partitions: readonly number[], regained: readonly number[], current: () => boolean): void {
    for (const p of partitions) this.held.set(p, []);
    this.host.pauseStream();
    askUntilAnswered(
      () => Promise.all([resumeFrom(partitions), this.host.committed(partitions)]),
      ([stored, committed]) => this.answered(partitions, regained, stored, committed),
      current,
      this.host.logger,
    );
  }

  private answered(
    partitions: readonly number[],
    regained: readonly number[],
    stored: ReadonlyMap<number, number>,
    committed: ReadonlyMap<number, number>,
  ): void {
    const { topic, logger } = this.host;
    const { offsets, overtaken } = resumePositions(stored, committed, regained);
    if (overtaken.length > 0) {
      logger?.info(
        { partitions: overtaken },
        'regained partitions that another member loaded meanwhile: resuming from their committed offsets, past this warehouse',
      );
    }
    logger?.info({ partitions: Object.fromEntries(offsets) }, 'resuming from the stored positions');
    const behind = [...offsets].filter(([p, offset]) => (committed.get(p) ?? -1) > offset && !this.refetched.has(p));
    const positions = [...offsets].map(([partition, offset]) => ({ topic, partition, offset }));
    if (behind.length > 0) {
      for (const [p] of behind) this.refetched.add(p);
      logger?.warn(
        { partitions: Object.fromEntries(behind.map(([p, offset]) => [p, { stored: offset, committed: committed.get(p) }])) },
        'the group committed past the stored positions; fetching again from the stored positions',
      );
      this.host
        .commit(positions)
        .catch((error) => logger?.warn({ err: error }, 'committing the stored positions failed'))
        .finally(() => this.host.refetch());
      return;
    }
    for (const p of partitions) {
      this.refetched.delete(p);
      const held = this.held.get(p);
      this.held.delete(p);
      for (const record of held ?? []) this.host.handOut(record);
    }
    this.host.resumeStream();
    if (positions.length > 0) {
      this.host.commit(positions).catch((error) => logger?.warn({ err: error }, 'committing the resumed positions failed'));
    }
  }
}
