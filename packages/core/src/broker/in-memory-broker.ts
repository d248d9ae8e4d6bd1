import { Observable, Subject, type Subscription } from 'rxjs';
import type { OutgoingRecord, RecordPosition, SourceRecord } from '../contracts/records.js';
import type { Sink, Source } from '../contracts/sink.js';
import { partitionForKey } from './murmur2.js';
import { PartitionLog } from './partition-log.js';

/** Options of {@link InMemoryBroker}. */
export interface InMemoryBrokerOptions {
  /**
   * Drop records once every consumer group that reads the topic has committed
   * past them, so a long run holds only the backlog in memory. Default true.
   */
  dropCommitted?: boolean;
  /** Clock for record timestamps. Default `Date.now`. */
  now?: () => number;
}

/** Options of {@link InMemoryBroker.consumer}. */
export interface InMemoryConsumerOptions {
  groupId: string;
  topic: string;
  /** Records handed out per poll and partition. Default 2,000. */
  maxPollRecords?: number;
  /** Where to start in a partition with no committed offset. Default `earliest`. */
  autoOffsetReset?: 'earliest' | 'latest';
  /** Backpressure: no fetching while the latest value is `true`. */
  paused?: Observable<boolean>;
}

interface Topic {
  readonly name: string;
  readonly partitions: PartitionLog[];
  roundRobin: number;
}

interface Group {
  readonly members: InMemoryConsumer[];
  /** Committed offset (next to read) per `topic/partition`. */
  readonly committed: Map<string, number>;
}

const slot = (topic: string, partition: number) => `${topic}/${partition}`;

/**
 * An in-process broker with Kafka's semantics where they matter to a pipeline:
 * topics split into partitions, key → partition by Kafka's murmur2 hashing,
 * per-partition offsets, and consumer groups whose members share the
 * partitions and commit offsets. It is the demo's transport and the broker of
 * the unit tests; Kafka replaces it in production with no change to the
 * pipeline, because both are a {@link Source} and a {@link Sink}.
 *
 * @example
 * ```ts
 * import { InMemoryBroker } from '@sneakpipe/core';
 *
 * const broker = new InMemoryBroker();
 * broker.createTopic('orders', 3);
 * await broker.producer('orders').write([{ key: null, value: Buffer.from('{"id":"a1"}') }]);
 * broker.consumer({ groupId: 'loader', topic: 'orders' }).records().subscribe((r) => console.log(r.partition, r.offset));
 * ```
 */
export class InMemoryBroker {
  private readonly topics = new Map<string, Topic>();
  private readonly groups = new Map<string, Group>();
  private readonly appended = new Subject<string>();
  private readonly dropCommitted: boolean;
  private readonly now: () => number;

  constructor(options: InMemoryBrokerOptions = {}) {
    this.dropCommitted = options.dropCommitted ?? true;
    this.now = options.now ?? Date.now;
  }

  /** Creates a topic; creating an existing one with the same partition count is a no-op. */
  createTopic(name: string, partitions = 3): void {
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
    }
    const existing = this.topics.get(name);
    if (existing) {
      if (existing.partitions.length !== partitions) {
        throw new Error(`topic ${name} exists with ${existing.partitions.length} partitions, not ${partitions}`);
      }
      return;
    }
    const logs = Array.from({ length: partitions }, (_, i) => new PartitionLog(name, i));
    this.topics.set(name, { name, partitions: logs, roundRobin: 0 });
  }

  /** Number of partitions of a topic. */
  partitionCount(topic: string): number {
    return this.topicOf(topic).partitions.length;
  }

  /** Appends records (keyed ones by murmur2 hash, others round-robin) and returns their positions. */
  send(topic: string, records: readonly OutgoingRecord[]): RecordPosition[] {
    const t = this.topicOf(topic);
    const n = t.partitions.length;
    const timestamp = this.now();
    const positions = records.map((record) => {
      const partition = record.key ? partitionForKey(record.key, n) : t.roundRobin++ % n;
      return { topic, partition, offset: t.partitions[partition]!.append(record, timestamp) };
    });
    if (records.length > 0) this.appended.next(topic);
    return positions;
  }

  /** A {@link Sink} that publishes each batch to a topic. */
  producer(topic: string): Sink<OutgoingRecord> {
    this.topicOf(topic);
    return { write: async (batch) => void this.send(topic, batch) };
  }

  /** A new member of a consumer group, reading one topic. */
  consumer(options: InMemoryConsumerOptions): InMemoryConsumer {
    this.topicOf(options.topic);
    return new InMemoryConsumer(this, options);
  }

  /** Log-end offset of each partition. */
  endOffsets(topic: string): number[] {
    return this.topicOf(topic).partitions.map((p) => p.endOffset);
  }

  /** Committed offset of each partition for a group (0 where nothing is committed). */
  committedOffsets(groupId: string, topic: string): number[] {
    const group = this.groups.get(groupId);
    return this.topicOf(topic).partitions.map((_, i) => group?.committed.get(slot(topic, i)) ?? 0);
  }

  /** Records not yet committed by a group, summed over partitions. */
  lag(groupId: string, topic: string): number {
    const committed = this.committedOffsets(groupId, topic);
    return this.endOffsets(topic).reduce((sum, end, i) => sum + end - committed[i]!, 0);
  }

  /** @internal */
  readRecords(topic: string, partition: number, offset: number, max: number): SourceRecord[] {
    return this.topicOf(topic).partitions[partition]!.read(offset, max);
  }

  /** @internal Starting offset for a member that takes over a partition. */
  startOffset(groupId: string, topic: string, partition: number, reset: 'earliest' | 'latest'): number {
    const log = this.topicOf(topic).partitions[partition]!;
    const committed = this.groupOf(groupId).committed.get(slot(topic, partition));
    if (committed !== undefined) return Math.max(committed, log.earliestOffset);
    return reset === 'earliest' ? log.earliestOffset : log.endOffset;
  }

  /** @internal Fires with the topic name on every append. */
  get appends(): Observable<string> {
    return this.appended;
  }

  /** @internal */
  join(member: InMemoryConsumer): void {
    this.groupOf(member.groupId).members.push(member);
    this.rebalance(member.groupId, member.topic);
  }

  /** @internal */
  leave(member: InMemoryConsumer): void {
    const members = this.groupOf(member.groupId).members;
    const i = members.indexOf(member);
    if (i >= 0) members.splice(i, 1);
    this.rebalance(member.groupId, member.topic);
  }

  /** @internal Commits offsets a member owns; offsets of partitions it no longer owns are ignored, as Kafka fences stale members. */
  commit(member: InMemoryConsumer, positions: readonly RecordPosition[]): void {
    const group = this.groupOf(member.groupId);
    for (const { topic, partition, offset } of positions) {
      if (topic !== member.topic || !member.assignment.includes(partition)) continue;
      const key = slot(topic, partition);
      if (offset > (group.committed.get(key) ?? -1)) group.committed.set(key, offset);
    }
    if (this.dropCommitted) this.truncate(member.topic);
  }

  private truncate(topic: string): void {
    const readers = [...this.groups.entries()].filter(([, g]) => g.members.some((m) => m.topic === topic) || hasTopic(g, topic));
    this.topicOf(topic).partitions.forEach((log, partition) => {
      const floor = Math.min(...readers.map(([, g]) => g.committed.get(slot(topic, partition)) ?? 0));
      if (Number.isFinite(floor)) log.truncateBefore(floor);
    });
  }

  /** Range assignment: members in join order each take a contiguous share of partitions. */
  private rebalance(groupId: string, topic: string): void {
    const members = this.groupOf(groupId).members.filter((m) => m.topic === topic);
    const n = this.partitionCount(topic);
    members.forEach((member, i) => {
      const from = Math.floor((i * n) / members.length);
      const to = Math.floor(((i + 1) * n) / members.length);
      member.assign(Array.from({ length: to - from }, (_, k) => from + k));
    });
  }

  private topicOf(name: string): Topic {
    const topic = this.topics.get(name);
    if (!topic) throw new Error(`unknown topic "${name}"`);
    return topic;
  }

  private groupOf(groupId: string): Group {
    let group = this.groups.get(groupId);
    if (!group) this.groups.set(groupId, (group = { members: [], committed: new Map() }));
    return group;
  }
}

function hasTopic(group: Group, topic: string): boolean {
  for (const key of group.committed.keys()) if (key.startsWith(`${topic}/`)) return true;
  return false;
}

/**
 * A member of a consumer group on the {@link InMemoryBroker}. It is a
 * {@link Source}: `records()` joins the group and streams the records of the
 * partitions assigned to it; `commit()` stores offsets for the group.
 */
export class InMemoryConsumer implements Source {
  readonly groupId: string;
  readonly topic: string;
  private assigned: number[] = [];
  private positions = new Map<number, number>();
  private readonly maxPoll: number;
  private readonly reset: 'earliest' | 'latest';
  private readonly paused$: Observable<boolean> | undefined;
  private finishing = false;
  private joined = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly broker: InMemoryBroker,
    options: InMemoryConsumerOptions,
  ) {
    this.groupId = options.groupId;
    this.topic = options.topic;
    this.maxPoll = options.maxPollRecords ?? 2_000;
    this.reset = options.autoOffsetReset ?? 'earliest';
    this.paused$ = options.paused;
  }

  /** Partitions currently assigned to this member. */
  get assignment(): readonly number[] {
    return this.assigned;
  }

  /** @internal Called by the broker on rebalance. */
  assign(partitions: number[]): void {
    this.assigned = partitions;
    const kept = new Map<number, number>();
    for (const p of partitions) {
      kept.set(p, this.positions.get(p) ?? this.broker.startOffset(this.groupId, this.topic, p, this.reset));
    }
    this.positions = kept;
    this.wake?.();
  }

  /**
   * Completes `records()` once this member has handed out everything up to the
   * current end of its partitions (for batch runs such as the demo).
   */
  finish(): void {
    this.finishing = true;
    this.wake?.();
  }

  /** {@link finish} as a promise, so the consumer fits where a stoppable source is expected (`runConsumer`, group sources). */
  async stop(): Promise<void> {
    this.finish();
  }

  records(): Observable<SourceRecord> {
    return new Observable<SourceRecord>((subscriber) => {
      let paused = false;
      let closed = false;
      const subs: Subscription[] = [];
      const nudge = () => this.wake?.();
      subs.push(this.broker.appends.subscribe((topic) => topic === this.topic && nudge()));
      if (this.paused$) subs.push(this.paused$.subscribe((p) => ((paused = p), nudge())));
      if (!this.joined) {
        this.joined = true;
        this.broker.join(this);
      }

      const poll = async () => {
        while (!closed) {
          let handed = 0;
          if (!paused) {
            for (const partition of this.assigned) {
              const from = this.positions.get(partition)!;
              const records = this.broker.readRecords(this.topic, partition, from, this.maxPoll);
              if (records.length === 0) continue;
              this.positions.set(partition, records[records.length - 1]!.offset + 1);
              for (const record of records) {
                if (closed) return;
                subscriber.next(record);
              }
              handed += records.length;
            }
          }
          if (closed) return;
          if (handed === 0 && !paused && this.finishing && this.caughtUp()) {
            subscriber.complete();
            return;
          }
          // Yield to the event loop between polls; sleep until something changes when idle.
          await new Promise<void>((resolve) => {
            if (handed > 0) setImmediate(resolve);
            else this.wake = resolve;
          });
          this.wake = null;
        }
      };
      // The first fetch waits a turn of the event loop, as a real group join
      // does, so members subscribing together share partitions from the start.
      setImmediate(() => poll().catch((error) => subscriber.error(error)));

      // Unsubscribing stops fetching but keeps the membership, so that the
      // last batches can still be committed; close() leaves the group.
      return () => {
        closed = true;
        subs.forEach((s) => s.unsubscribe());
        this.wake?.();
      };
    });
  }

  async commit(positions: readonly RecordPosition[]): Promise<void> {
    this.broker.commit(this, positions);
  }

  /** Leaves the group: its partitions go to the remaining members. */
  async close(): Promise<void> {
    this.finish();
    if (!this.joined) return;
    this.joined = false;
    this.broker.leave(this);
    this.assigned = [];
  }

  private caughtUp(): boolean {
    const ends = this.broker.endOffsets(this.topic);
    return this.assigned.every((p) => this.positions.get(p)! >= ends[p]!);
  }
}
