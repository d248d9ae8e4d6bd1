import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { Observable, type Subscription } from 'rxjs';
import { sleep, type RecordPosition, type SourceRecord } from '@sneakpipe/core';
import type { GroupSourceOptions, KafkaGroupSource } from '../shared/kafka-client.js';
import { askUntilAnswered } from '../shared/ask-until-answered.js';
import { commitOwnPositions } from '../shared/commit-with-retry.js';
import { withGroupDefaults, type ResolvedGroupOptions } from '../shared/defaults.js';
import { kafkaErrorKind } from '../shared/errors.js';
import { incompatibleGroupError, isInconsistentGroupProtocol } from '../shared/group-protocol.js';
import { RecordsGate } from '../shared/records-gate.js';
import { Revocation } from '../shared/revocation.js';
import { OwnershipHistory, resumePositions } from '../shared/regained-partitions.js';
import { committedOffsetsOf } from './admin.js';
import { roundRobinMember } from './kafkajs-group-member.js';
import { registerLz4Codec } from './lz4-codec.js';

/**
 * A Kafka consumer-group member as a {@link KafkaGroupSource}, on kafkajs.
 *
 * - Records are handed out in partition order with their offsets; nothing is
 *   committed automatically. `commit` stores what the pipeline says is durable.
 * - Backpressure: while `paused` is true, the fetch loop waits (sending
 *   heartbeats, so the member keeps its partitions) and memory stays bounded.
 * - Rebalance: once the group rebalances, nothing more is handed out; before
 *   rejoining, the member waits until what it handed out is committed, so
 *   each partition's next owner starts right after it (see `Revocation`). A
 *   commit that the group fences anyway is dropped and the records replay to
 *   the new owner.
 * - It offers kafkajs's `RoundRobinAssigner`, as 0.1.0 did; `@platformatic/kafka`
 *   members offer it too, so both share a group (group-protocol.ts).
 * - `stop()` stops fetching and completes `records()`, so the pipeline can
 *   flush, load and commit what it holds; `close()` then leaves the group.
 *
 * Internal: users get it from `kafkajsClient(…).source(options)`. It takes
 * the same arguments as `PlatformaticSource`: the library's client, then the
 * group source's options.
 */
export class KafkajsSource implements KafkaGroupSource {
  readonly topic: string;
  readonly groupId: string;
  private readonly consumer: Consumer;
  private readonly gate = new RecordsGate();
  private assignment: number[] = [];
  private member = false;
  /** Partitions assigned but not yet sought to where they resume: none of their records is handed out. */
  private readonly resuming = new Set<number>();
  private joins = 0;
  /** {@link close} was called: a JoinGroup or SyncGroup that answers afterwards leaves the group instead (see roundRobinMember). */
  private closing = false;
  private readonly revocation: Revocation;
  private readonly history = new OwnershipHistory();
  private readonly settings: ResolvedGroupOptions;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: GroupSourceOptions,
  ) {
    // Topics written with lz4 by any producer must be readable (once per process).
    registerLz4Codec();
    this.topic = options.topic;
    this.groupId = options.groupId;
    this.revocation = new Revocation(options.logger);
    this.settings = withGroupDefaults(options);
    const heartbeatMs = this.settings.heartbeatIntervalMs;
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: this.settings.sessionTimeoutMs,
      heartbeatInterval: heartbeatMs,
      maxBytesPerPartition: this.settings.maxBytesPerPartition,
      // Java's fetch.max.wait.ms. kafkajs' 5 s default is also how long it sleeps when every assigned partition is
      // paused, as they are between an assignment and the seek to the stored positions: each rebalance would stall 5 s.
      maxWaitTimeInMs: 500,
      allowAutoTopicCreation: false,
      partitionAssigners: [
        roundRobinMember(
          (heartbeat) => this.revocation.beforeRejoin(heartbeat, heartbeatMs),
          () => this.closing,
        ),
      ],
    });
    this.consumer.on(this.consumer.events.REBALANCING, () => this.revocation.started());
    this.consumer.on(this.consumer.events.CRASH, () => (this.member = false));
    this.consumer.on(this.consumer.events.DISCONNECT, () => (this.member = false));
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.member = true;
      this.assignment = [...(payload.memberAssignment[this.topic] ?? [])].sort((a, b) => a - b);
      this.revocation.joined(this.assignment);
      const regained = this.history.assigned(this.assignment);
      options.logger?.info({ groupId: this.groupId, partitions: this.assignment }, 'joined consumer group');
      if (options.resumeFrom && this.assignment.length > 0) this.resume(options.resumeFrom, this.assignment, regained);
    });
  }

  /**
   * Seeks the assigned partitions to where they resume. GROUP_JOIN fires
   * before the first fetch of the new generation, so pausing them here (in
   * the same tick) means no record of theirs is fetched until the seek.
   */
  private resume(
    resumeFrom: NonNullable<GroupSourceOptions['resumeFrom']>,
    partitions: readonly number[],
    regained: readonly number[],
  ): void {
    const join = ++this.joins;
    const topicPartitions = [{ topic: this.topic, partitions: [...partitions] }];
    this.consumer.pause(topicPartitions);
    for (const p of partitions) this.resuming.add(p);
    askUntilAnswered(
      async () => {
        const stored = await resumeFrom(partitions);
        return regained.length === 0 ? { offsets: stored, overtaken: [] } : resumePositions(stored, await this.committed(), regained);
      },
      ({ offsets, overtaken }) => {
        if (overtaken.length > 0) {
          this.options.logger?.info(
            { partitions: overtaken },
            'regained partitions that another member loaded meanwhile: resuming from their committed offsets, past this warehouse',
          );
        }
        for (const [partition, offset] of offsets) this.consumer.seek({ topic: this.topic, partition, offset: String(offset) });
        for (const p of partitions) this.resuming.delete(p);
        this.consumer.resume(topicPartitions);
        this.options.logger?.info({ partitions: Object.fromEntries(offsets) }, 'resuming from the stored positions');
        // The group's committed offsets follow, so lag tools (and an idle check) see where loading really stands.
        if (offsets.size > 0) {
          const positions = [...offsets].map(([partition, offset]) => ({ topic: this.topic, partition, offset }));
          this.commit(positions).catch((error) => this.options.logger?.warn({ err: error }, 'committing the resumed positions failed'));
        }
      },
      () => join === this.joins && !this.gate.stopped,
      this.options.logger,
    );
  }

  /** The group's committed offsets on the topic, per partition (those with one). */
  private committed(): Promise<Map<number, number>> {
    return committedOffsetsOf(this.kafka, this.groupId, this.topic);
  }

  /** A member of its group right now (joined, not crashed or disconnected): the broker is reachable. */
  get healthy(): boolean {
    return this.member;
  }

  /** Partitions this member owns since the last rebalance. */
  get partitions(): readonly number[] {
    return this.assignment;
  }

  records(): Observable<SourceRecord> {
    return new Observable<SourceRecord>((subscriber) => {
      if (!this.gate.claim(subscriber, 'KafkajsSource')) return;
      let paused = false;
      let resume: (() => void) | null = null;
      const pauses: Subscription | undefined = this.options.paused?.subscribe((p) => {
        paused = p;
        if (!p) resume?.();
      });

      const eachBatch = async ({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) => {
        if (this.resuming.has(batch.partition)) return;
        for (const message of batch.messages) {
          if (this.gate.stopped || subscriber.closed || !isRunning() || isStale() || this.revocation.revoking) return;
          subscriber.next(toSourceRecord(batch.topic, batch.partition, message));
          this.revocation.ledger.handedOut(batch.partition, Number(message.offset));
          // Only what was handed out counts as consumed: a batch cut short by a
          // rebalance or a stop is fetched again from here, never skipped.
          resolveOffset(message.offset);
          while (paused && !this.gate.stopped && isRunning() && !isStale()) {
            await Promise.race([new Promise<void>((r) => (resume = r)), sleep(1_000)]);
            await heartbeat();
          }
        }
        await heartbeat();
      };

      (async () => {
        await this.consumer.connect();
        await this.consumer.subscribe({ topics: [this.topic], fromBeginning: this.settings.fromBeginning });
        await this.consumer.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 1, eachBatch });
      })().catch((error) => subscriber.error(this.explained(error)));

      this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) subscriber.error(this.explained(payload.error));
      });

      return () => {
        pauses?.unsubscribe();
        this.gate.stopped = true;
        resume?.();
      };
    });
  }

  async commit(positions: readonly RecordPosition[]): Promise<void> {
    await commitOwnPositions(
      this.topic,
      positions,
      (mine) => this.consumer.commitOffsets(mine.map((p) => ({ topic: p.topic, partition: p.partition, offset: String(p.offset) }))),
      kafkaErrorKind,
      this.revocation.ledger,
      this.options.logger,
    );
  }

  /**
   * Stops handing out records and completes `records()`. The consumer stays in
   * its group so the pipeline can still commit what it loads; call `close()` after.
   */
  async stop(): Promise<void> {
    try {
      this.consumer.pause([{ topic: this.topic }]);
    } catch {
      // kafkajs pauses only a consumer that `records()` has started: before that there is no fetch to stop.
    }
    this.gate.stop();
  }

  /** A group that runs another assignment protocol gets one line saying what to do. */
  private explained(error: unknown): unknown {
    return isInconsistentGroupProtocol(error) ? incompatibleGroupError(this.groupId, error) : error;
  }

  /** Leaves the group and disconnects. */
  async close(): Promise<void> {
    this.gate.stopped = true;
    this.closing = true;
    await this.consumer.disconnect();
  }
}

function toSourceRecord(topic: string, partition: number, m: KafkaMessage): SourceRecord {
  const headers = m.headers && Object.keys(m.headers).length > 0 ? decodeHeaders(m.headers) : undefined;
  return {
    topic,
    partition,
    offset: Number(m.offset),
    key: m.key,
    value: m.value ?? Buffer.alloc(0),
    timestamp: Number(m.timestamp),
    ...(headers ? { headers } : {}),
  };
}

function decodeHeaders(headers: NonNullable<KafkaMessage['headers']>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.map(String).join(',') : String(v);
  return out;
}
