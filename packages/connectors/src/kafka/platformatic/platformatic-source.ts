import { stringDeserializer, type BaseOptions } from '@platformatic/kafka';
import { Observable } from 'rxjs';
import type { RecordPosition, SourceRecord } from '@sneakpipe/core';
import type { GroupSourceOptions, KafkaGroupSource } from '../shared/kafka-client.js';
import { commitOwnPositions } from '../shared/commit-with-retry.js';
import { withGroupDefaults, type ResolvedGroupOptions } from '../shared/defaults.js';
import { kafkaErrorKind } from '../shared/errors.js';
import { incompatibleGroupError, isInconsistentGroupProtocol } from '../shared/group-protocol.js';
import { RecordsGate } from '../shared/records-gate.js';
import { Revocation } from '../shared/revocation.js';
import { OwnershipHistory } from '../shared/regained-partitions.js';
import { committedOffsetsOf } from './admin.js';
import { FetchStream, recordOf, type GroupMessage } from './fetch-stream.js';
import { GroupConsumer } from './group-consumer.js';
import { OwnedPartitions } from './owned-partitions.js';
import { reconnector } from './reconnect.js';
import { ResumeHolds } from './resume-holds.js';

/**
 * A Kafka consumer-group member as a {@link KafkaGroupSource}, with
 * `@platformatic/kafka`. This class ties the group's events to the parts,
 * each in a file of its own:
 *
 * - Records are handed out in partition order with their offsets; nothing is
 *   committed automatically.
 * - Each partition's records are handed out once, in offset order; records of
 *   revoked partitions, and those fetched before a partition was (re)assigned,
 *   are dropped (`OwnedPartitions`).
 * - With `resumeFrom`, a partition it gains resumes where that says (a
 *   warehouse's stored position): the library has no seek, so its records are
 *   held until that position is known, and the stream is reopened once where
 *   the group's committed offset is past it (`ResumeHolds`).
 * - Rebalance: once the group rebalances, nothing more is handed out (what
 *   the stream still delivers is parked, and handed out after the rejoin if
 *   the partition stays); before rejoining, the member waits until what it
 *   handed out is committed, so each partition's next owner starts right
 *   after it (see `Revocation`).
 * - It offers kafkajs's `RoundRobinAssigner` before the library's
 *   `roundrobin`, so it shares a group with sneakpipe 0.1.0's kafkajs members
 *   (see `GroupConsumer`).
 * - Backpressure pauses the fetch stream (`FetchStream`); heartbeats run on
 *   their own timer, so the member keeps its partitions while paused.
 * - After a failure the client does not recover from (broker restart), the
 *   consumer is replaced and rejoins the group (`reconnector`).
 *
 * Internal: users get it from `platformaticClient(…).source(options)`. It
 * takes the same arguments as `KafkajsSource`: the library's client (here
 * its connection options), then the group source's options.
 */
export class PlatformaticSource implements KafkaGroupSource {
  readonly topic: string;
  readonly groupId: string;
  private consumer: GroupConsumer;
  private readonly fetch: FetchStream;
  private readonly gate = new RecordsGate();
  private readonly owned: OwnedPartitions;
  private readonly holds: ResumeHolds;
  /** Called when the client gives up on the group (rejoin failed): the consumer is replaced. */
  private onBroken: () => void = () => undefined;
  /** The current consumer has been given its assignment (set again false for each new consumer). */
  private joined = false;
  /** Hands a record to the subscriber of `records()`. */
  private emit: (record: SourceRecord) => void = () => undefined;
  /** Closes the fetch stream and opens a new one, which rejoins the group and fetches from the committed offsets. */
  private refetch: () => void = () => undefined;
  private flowPaused = false;
  private readonly revocation: Revocation;
  /** Records the stream delivered while the group rebalances, not handed out: they wait for the rejoin. */
  private parked: SourceRecord[] = [];
  private readonly history = new OwnershipHistory();
  private readonly settings: ResolvedGroupOptions;

  constructor(
    private readonly client: BaseOptions,
    private readonly options: GroupSourceOptions,
  ) {
    this.topic = options.topic;
    this.groupId = options.groupId;
    this.revocation = new Revocation(options.logger);
    this.settings = withGroupDefaults(options);
    this.fetch = new FetchStream(this.topic, this.settings.fromBeginning);
    this.owned = new OwnedPartitions(this.topic);
    this.holds = new ResumeHolds({
      topic: this.topic,
      logger: options.logger,
      committed: (partitions) => committedOffsetsOf(client, this.groupId, this.topic, partitions),
      commit: (positions) => this.commit(positions),
      handOut: (record) => this.handOut(record),
      pauseStream: () => this.fetch.pause(),
      resumeStream: () => this.resumeStream(),
      refetch: () => this.refetch(),
    });
    this.consumer = this.createConsumer();
  }

  private createConsumer(): GroupConsumer {
    const heartbeatMs = this.settings.heartbeatIntervalMs;
    const beforeRejoin = (heartbeat: () => Promise<void>) => {
      this.startRevoking();
      return this.revocation.beforeRejoin(heartbeat, heartbeatMs);
    };
    const consumer = new GroupConsumer(
      {
        ...this.client,
        groupId: this.groupId,
        sessionTimeout: this.settings.sessionTimeoutMs,
        heartbeatInterval: heartbeatMs,
        maxBytesPerPartition: this.settings.maxBytesPerPartition,
        autocommit: false,
        autocreateTopics: false,
        deserializers: { headerKey: stringDeserializer, headerValue: stringDeserializer },
      },
      beforeRejoin,
    );
    consumer.on('consumer:group:rebalance', () => this.startRevoking());
    this.joined = false;
    consumer.on('consumer:group:join', ({ assignments }) => {
      this.join(
        consumer,
        [...(assignments?.find((a) => a.topic === this.topic)?.partitions ?? [])].sort((a, b) => a - b),
      );
    });
    // The client emits 'error' when it gives up rejoining the group (e.g. the broker was down through all its retries).
    consumer.on('error', (error: Error) => {
      this.options.logger?.warn({ err: error }, 'kafka consumer lost its group; reconnecting');
      this.onBroken();
    });
    return consumer;
  }

  /** `consumer` was given `mine` (ascending): gained partitions ask where they resume, parked records of kept ones go out. */
  private join(consumer: GroupConsumer, mine: number[]): void {
    this.joined = true;
    const gained = this.owned.joined(mine, consumer.generationId);
    this.holds.keepOnly(mine);
    this.revocation.joined(mine);
    const regained = this.history.assigned(mine);
    this.options.logger?.info({ groupId: this.groupId, partitions: mine }, 'joined consumer group');
    if (this.options.resumeFrom && gained.length > 0) {
      const current = this.consumer;
      this.holds.resume(this.options.resumeFrom, gained, regained, () => current === this.consumer && !this.gate.stopped);
    }
    // Parked records of partitions this member kept go out now, in order; those of lost or regained ones are dropped.
    const parked = this.parked;
    this.parked = [];
    for (const record of parked) if (mine.includes(record.partition) && !gained.includes(record.partition)) this.holds.settle(record);
    this.resumeStream();
  }

  /** Nothing keeps the fetch stream paused: no backpressure, no partition held, no rebalance, not stopped. */
  private mayFlow(): boolean {
    return !this.holds.holding && !this.flowPaused && !this.gate.stopped && !this.revocation.revoking;
  }

  private resumeStream(): void {
    if (this.mayFlow()) this.fetch.resume();
  }

  /** The group rebalances: the stream pauses and nothing is handed out until the member has rejoined. */
  private startRevoking(): void {
    this.revocation.started();
    this.fetch.pause();
  }

  /** A fetched message: dropped (see `OwnedPartitions`), parked while the group rebalances, held, or handed out. */
  private received(message: GroupMessage): void {
    if (!this.owned.accepts(message)) return;
    const record = recordOf(message);
    if (this.revocation.revoking) this.parked.push(record);
    else this.holds.settle(record);
  }

  /** Hands a record out once: the stream may deliver an offset again (refetches after a rebalance or a reconnect). */
  private handOut(record: SourceRecord): void {
    if (!this.owned.handOut(record)) return;
    this.emit(record);
    this.revocation.ledger.handedOut(record.partition, record.offset);
  }

  /** Lets go of the fetch stream and the consumer (in the background) and creates a fresh consumer, which owns nothing yet. */
  private replaceConsumer(): void {
    const old = this.consumer;
    void this.fetch.drop();
    old.close(true, () => undefined);
    this.owned.forget();
    this.consumer = this.createConsumer();
  }

  /**
   * A member of its group right now (it has been given its assignment, not only a member id while its first
   * JoinGroup waits), connected: the broker is reachable.
   */
  get healthy(): boolean {
    return this.joined && this.consumer.memberId !== null && this.consumer.isConnected();
  }

  /** Partitions this member owns since the last rebalance. */
  get partitions(): readonly number[] {
    return this.owned.partitions;
  }

  records(): Observable<SourceRecord> {
    return new Observable<SourceRecord>((subscriber) => {
      if (!this.gate.claim(subscriber, 'PlatformaticSource')) return;
      this.emit = (record) => subscriber.next(record);
      const pauses = this.options.paused?.subscribe((p) => {
        this.flowPaused = p;
        if (p) this.fetch.pause();
        else this.resumeStream();
      });
      const stopped = () => this.gate.stopped || subscriber.closed;

      const open = () =>
        this.fetch.open(this.consumer, {
          message: (message) => {
            if (!stopped()) this.received(message);
          },
          error: (error) => {
            if (stopped()) return;
            this.options.logger?.warn({ err: error, type: kafkaErrorKind(error).type }, 'fetch failed; reconnecting');
            reconnect();
          },
          startsPaused: () => !this.mayFlow(),
        });
      // A fresh consumer after a failure: it joins the group again and fetches from the committed offsets;
      // what this member already handed out is skipped, so nothing is handed out twice.
      const reconnect = reconnector({
        replace: () => this.replaceConsumer(),
        open,
        stopped,
        failed: (error) => subscriber.error(error),
        ...(this.options.logger ? { logger: this.options.logger } : {}),
      });
      this.onBroken = reconnect;
      this.refetch = () => {
        // Every partition is gained again at the rejoin, so where each resumes is asked again.
        this.owned.forget();
        this.fetch
          .drop()
          .then(open)
          .catch((error) => {
            this.options.logger?.warn({ err: error }, 'reopening the fetch stream failed; reconnecting');
            reconnect();
          });
      };
      open().catch((error) => subscriber.error(isInconsistentGroupProtocol(error) ? incompatibleGroupError(this.groupId, error) : error));

      return () => {
        pauses?.unsubscribe();
        this.gate.stopped = true;
        this.fetch.pause();
      };
    });
  }

  async commit(positions: readonly RecordPosition[]): Promise<void> {
    await commitOwnPositions(
      this.topic,
      positions,
      (mine) =>
        this.consumer.commit({
          offsets: mine.map((p) => ({ topic: p.topic, partition: p.partition, offset: BigInt(p.offset), leaderEpoch: -1 })),
        }),
      kafkaErrorKind,
      this.revocation.ledger,
      this.options.logger,
    );
  }

  /** Stops handing out records and completes `records()`; the member stays in its group so commits still work. */
  async stop(): Promise<void> {
    this.fetch.pause();
    this.gate.stop();
  }

  /** Leaves the group and disconnects. */
  async close(): Promise<void> {
    this.gate.stopped = true;
    await this.fetch.close();
    await new Promise<void>((resolve) => this.consumer.close(true, () => resolve()));
  }
}
