import { stringDeserializer, type BaseOptions, type Message, type MessagesStream } from '@platformatic/kafka';
import { Observable } from 'rxjs';
import type { RecordPosition, SourceRecord } from '@sneakpipe/core';
import type { GroupSourceOptions, KafkaGroupSource } from '../shared/kafka-client.js';
import { askUntilAnswered } from '../shared/ask-until-answered.js';
import { commitOwnPositions } from '../shared/commit-with-retry.js';
import { groupSettings, type GroupSettings } from '../shared/defaults.js';
import { kafkaErrorKind } from '../shared/errors.js';
import { incompatibleGroupError, isInconsistentGroupProtocol } from '../shared/group-protocol.js';
import { committedOffsets } from '../shared/lag.js';
import { RecordsGate } from '../shared/records-gate.js';
import { Revocation } from '../shared/revocation.js';
import { OwnershipHistory, resumePositions } from '../shared/regained-partitions.js';
import { GroupConsumer } from './group-consumer.js';

type GroupMessage = Message<Buffer, Buffer, string, string>;
type GroupStream = MessagesStream<Buffer, Buffer, string, string>;

/** Wait before reopening the fetch stream after it failed (broker restarting, leader moving). */
const REOPEN_AFTER_MS = 1_000;
/** Consecutive failed reconnections (each one already retried by the client) before the source errors. */
const MAX_RECONNECTS = 30;

/**
 * A Kafka consumer-group member as a {@link KafkaGroupSource}, with
 * `@platformatic/kafka`.
 *
 * - Records are handed out in partition order with their offsets; nothing is
 *   committed automatically.
 * - Each partition's records are handed out once, in offset order: after a
 *   rebalance the library fetches kept partitions again from their committed
 *   offset, and what this member already handed out is skipped (it is in the
 *   pipeline and will be committed). Records of revoked partitions, and those
 *   fetched before a partition was (re)assigned, are dropped.
 * - With `resumeFrom`, a partition it gains resumes where that says (a
 *   warehouse's stored position): the library has no seek, so its records are
 *   held until that position is known; the fetch started from the group's
 *   committed offset, and if that was ahead of the position, the position is
 *   committed and the consumer replaced, so it fetches again from there.
 *   Records below the position are dropped.
 * - Rebalance: once the group rebalances, nothing more is handed out (what
 *   the stream still delivers is parked, and handed out after the rejoin if
 *   the partition stays); before rejoining, the member waits until what it
 *   handed out is committed, so each partition's next owner starts right
 *   after it (see `Revocation`).
 * - It offers kafkajs's `RoundRobinAssigner` before the library's
 *   `roundrobin`, so it shares a group with sneakpipe 0.1.0's kafkajs members
 *   (see `GroupConsumer`).
 * - Backpressure pauses the fetch stream; heartbeats run on their own timer,
 *   so the member keeps its partitions while paused.
 * - After a failure the client does not recover from (broker restart), the
 *   consumer is replaced and rejoins the group.
 *
 * @example
 * ```ts
 * import { loadPipeline, type Warehouse } from '@sneakpipe/core';
 * import { orderEventCodec, orderEventSink } from '@sneakpipe/sneakers';
 * import { PlatformaticSource, platformaticOptions } from '@sneakpipe/connectors/kafka/platformatic';
 *
 * declare const warehouse: Warehouse;
 * const source = new PlatformaticSource(platformaticOptions({ brokers: ['localhost:9092'] }), { topic: 'sneaker-orders', groupId: 'loader' });
 * loadPipeline({ source, codec: orderEventCodec, sink: orderEventSink({ warehouse, group: 'loader' }) }).subscribe();
 * ```
 */
export class PlatformaticSource implements KafkaGroupSource {
  readonly topic: string;
  readonly groupId: string;
  private consumer: GroupConsumer;
  private stream: GroupStream | undefined;
  private readonly gate = new RecordsGate();
  /** Called when the client gives up on the group (rejoin failed): the consumer is replaced. */
  private onBroken: () => void = () => undefined;
  private assignment: number[] = [];
  /** The current consumer has been given its assignment (set again false for each new consumer). */
  private joined = false;
  /** Per owned partition: the offset after the last record handed out. */
  private readonly next = new Map<number, number>();
  /**
   * Per owned partition: the group generation in which this member got it.
   * Records fetched in an earlier generation are from a previous ownership
   * (lost, then given back): they are dropped, the partition is fetched again
   * from its committed offset.
   */
  private readonly gainedIn = new Map<number, number>();
  /** Per gained partition whose start is not settled yet: the records held meanwhile. */
  private readonly resuming = new Map<number, { held: SourceRecord[] }>();
  /** Partitions whose consumer was replaced once to fetch from the resume position: not again (no loop). */
  private readonly refetched = new Set<number>();
  /** Hands a record to the subscriber of `records()`. */
  private emit: (record: SourceRecord) => void = () => undefined;
  /** Closes the fetch stream and opens a new one, which rejoins the group and fetches from the committed offsets. */
  private refetch: () => void = () => undefined;
  private flowPaused = false;
  private readonly revocation: Revocation;
  /** Records the stream delivered while the group rebalances, not handed out: they wait for the rejoin. */
  private parked: SourceRecord[] = [];
  private readonly history = new OwnershipHistory();
  private readonly settings: GroupSettings;

  constructor(
    private readonly client: BaseOptions,
    private readonly options: GroupSourceOptions,
  ) {
    this.topic = options.topic;
    this.groupId = options.groupId;
    this.revocation = new Revocation(options.logger);
    this.settings = groupSettings(options);
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
      this.joined = true;
      const mine = [...(assignments?.find((a) => a.topic === this.topic)?.partitions ?? [])].sort((a, b) => a - b);
      for (const p of this.next.keys()) if (!mine.includes(p)) this.next.delete(p);
      for (const p of this.gainedIn.keys()) if (!mine.includes(p)) this.gainedIn.delete(p);
      const gained = mine.filter((p) => !this.assignment.includes(p));
      for (const p of gained) this.gainedIn.set(p, consumer.generationId);
      for (const p of this.resuming.keys()) if (!mine.includes(p)) this.resuming.delete(p);
      this.assignment = mine;
      this.revocation.joined(mine);
      const regained = this.history.assigned(mine);
      this.options.logger?.info({ groupId: this.groupId, partitions: mine }, 'joined consumer group');
      if (this.options.resumeFrom && gained.length > 0) this.resume(this.options.resumeFrom, gained, regained);
      // Parked records of partitions this member kept go out now, in order; those of lost or regained ones are dropped.
      const parked = this.parked;
      this.parked = [];
      for (const record of parked) if (mine.includes(record.partition) && !gained.includes(record.partition)) this.settle(record);
      this.resumeStream();
    });
    // The client emits 'error' when it gives up rejoining the group (e.g. the broker was down through all its retries).
    consumer.on('error', (error: Error) => {
      this.options.logger?.warn({ err: error }, 'kafka consumer lost its group; reconnecting');
      this.onBroken();
    });
    return consumer;
  }

  /**
   * Asks where `partitions` resume; their records are held (and the stream
   * paused) until it answers. The stream fetches from the group's committed
   * offsets: where one is past the position to resume from (set by hand, or
   * the warehouse restored from a backup), that position is committed and the
   * consumer replaced, once, so that it fetches from there. Otherwise the
   * position is committed too, so lag tools see where loading stands; what
   * is fetched below it, the sink drops and counts.
   */
  private resume(
    resumeFrom: NonNullable<GroupSourceOptions['resumeFrom']>,
    partitions: readonly number[],
    regained: readonly number[],
  ): void {
    for (const p of partitions) this.resuming.set(p, { held: [] });
    this.stream?.pause();
    const consumer = this.consumer;
    askUntilAnswered(
      () =>
        Promise.all([
          resumeFrom(partitions),
          consumer.listCommittedOffsets({ topics: [{ topic: this.topic, partitions: [...partitions] }] }),
        ]),
      ([stored, committed]) => {
        const fetchedFrom = committed.get(this.topic) ?? [];
        const committedOf = committedOffsets(partitions.map((p) => [p, Number(fetchedFrom[p] ?? -1)] as const));
        const { offsets, overtaken } = resumePositions(stored, committedOf, regained);
        if (overtaken.length > 0) {
          this.options.logger?.info(
            { partitions: overtaken },
            'regained partitions that another member loaded meanwhile: resuming from their committed offsets, past this warehouse',
          );
        }
        this.options.logger?.info({ partitions: Object.fromEntries(offsets) }, 'resuming from the stored positions');
        const behind = [...offsets].filter(([p, offset]) => Number(fetchedFrom[p] ?? -1) > offset && !this.refetched.has(p));
        const positions = [...offsets].map(([partition, offset]) => ({ topic: this.topic, partition, offset }));
        if (behind.length > 0) {
          for (const [p] of behind) this.refetched.add(p);
          this.options.logger?.warn(
            { partitions: Object.fromEntries(behind.map(([p, offset]) => [p, { stored: offset, committed: Number(fetchedFrom[p]) }])) },
            'the group committed past the stored positions; fetching again from the stored positions',
          );
          this.commit(positions)
            .catch((error) => this.options.logger?.warn({ err: error }, 'committing the stored positions failed'))
            .finally(() => this.refetch());
          return;
        }
        for (const p of partitions) {
          this.refetched.delete(p);
          const state = this.resuming.get(p);
          this.resuming.delete(p);
          for (const record of state?.held ?? []) this.handOut(record);
        }
        this.resumeStream();
        if (positions.length > 0) {
          this.commit(positions).catch((error) => this.options.logger?.warn({ err: error }, 'committing the resumed positions failed'));
        }
      },
      () => consumer === this.consumer && !this.gate.stopped,
      this.options.logger,
    );
  }

  /** A record of a partition whose start is not settled yet is held; any other is handed out. */
  private settle(record: SourceRecord): void {
    const state = this.resuming.get(record.partition);
    if (state) state.held.push(record);
    else this.handOut(record);
  }

  private resumeStream(): void {
    if (this.resuming.size === 0 && !this.flowPaused && !this.gate.stopped && !this.revocation.revoking) this.stream?.resume();
  }

  /** The group rebalances: the stream pauses and nothing is handed out until the member has rejoined. */
  private startRevoking(): void {
    this.revocation.started();
    this.stream?.pause();
  }

  /** Hands a record out once: the stream may deliver an offset again (refetches after a rebalance or a reconnect). */
  private handOut(record: SourceRecord): void {
    const next = this.next.get(record.partition);
    if (next !== undefined && record.offset < next) return;
    this.next.set(record.partition, record.offset + 1);
    this.emit(record);
    this.revocation.ledger.handedOut(record.partition, record.offset);
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
    return this.assignment;
  }

  records(): Observable<SourceRecord> {
    return new Observable<SourceRecord>((subscriber) => {
      if (!this.gate.claim(subscriber, 'PlatformaticSource')) return;
      this.emit = (record) => subscriber.next(record);
      const pauses = this.options.paused?.subscribe((p) => {
        this.flowPaused = p;
        if (p) this.stream?.pause();
        else this.resumeStream();
      });

      const open = async (): Promise<void> => {
        const options = {
          topics: [this.topic],
          mode: 'committed' as const,
          fallbackMode: this.settings.fromBeginning ? ('earliest' as const) : ('latest' as const),
          autocommit: false,
        };
        const stream = await new Promise<GroupStream>((resolve, reject) =>
          this.consumer.consume(options, (error, created) => {
            // A listener before anything else runs: a stream created as the member closes (its join answered late)
            // fails in its constructor, on the next tick, before an awaited promise would resume here.
            created?.on('error', () => undefined);
            if (error || !created) reject(error);
            else resolve(created);
          }),
        );
        this.stream = stream;
        stream.on('data', (message: GroupMessage) => {
          if (this.gate.stopped || subscriber.closed || stream !== this.stream) return;
          const record = this.accept(message);
          if (!record) return;
          if (this.revocation.revoking) this.parked.push(record);
          else this.settle(record);
        });
        stream.on('error', (error: Error) => {
          if (this.gate.stopped || subscriber.closed || stream !== this.stream) return;
          this.options.logger?.warn({ err: error, type: kafkaErrorKind(error).type }, 'fetch failed; reconnecting');
          reconnect();
        });
        if (this.flowPaused || this.gate.stopped || this.resuming.size > 0 || this.revocation.revoking) stream.pause();
      };
      // A fresh consumer after a failure: it joins the group again and fetches from the committed offsets;
      // what this member already handed out is skipped, so nothing is handed out twice.
      let reconnecting = false;
      let failures = 0;
      const reconnect = () => {
        if (reconnecting || this.gate.stopped || subscriber.closed) return;
        reconnecting = true;
        const old = { stream: this.stream, consumer: this.consumer };
        this.stream = undefined;
        void old.stream?.close().catch(() => undefined);
        old.consumer.close(true, () => undefined);
        this.assignment = [];
        this.consumer = this.createConsumer();
        setTimeout(() => {
          open()
            .then(() => {
              reconnecting = false;
              failures = 0;
            })
            .catch((error) => {
              reconnecting = false;
              // The broker stays unreachable: give up, so a supervisor sees the process fail.
              if (++failures >= MAX_RECONNECTS) return subscriber.error(error);
              this.options.logger?.warn({ err: error, attempt: failures }, 'reconnecting to Kafka failed; retrying');
              reconnect();
            });
        }, REOPEN_AFTER_MS);
      };
      this.onBroken = reconnect;
      this.refetch = () => {
        const old = this.stream;
        this.stream = undefined;
        // Every partition is gained again at the rejoin, so where each resumes is asked again.
        this.assignment = [];
        void (old?.close() ?? Promise.resolve())
          .catch(() => undefined)
          .then(() => open())
          .catch((error) => {
            this.options.logger?.warn({ err: error }, 'reopening the fetch stream failed; reconnecting');
            reconnect();
          });
      };
      open().catch((error) => subscriber.error(isInconsistentGroupProtocol(error) ? incompatibleGroupError(this.groupId, error) : error));

      return () => {
        pauses?.unsubscribe();
        this.gate.stopped = true;
        this.stream?.pause();
      };
    });
  }

  /** The record to consider, or `undefined` for one of a revoked partition or one already handed out. */
  private accept(m: GroupMessage): SourceRecord | undefined {
    if (m.topic !== this.topic || !this.assignment.includes(m.partition)) return undefined;
    const fetchedIn = (m.metadata?.consumer as { generationId?: number } | undefined)?.generationId;
    if (fetchedIn !== undefined && fetchedIn < (this.gainedIn.get(m.partition) ?? 0)) return undefined;
    const offset = Number(m.offset);
    const next = this.next.get(m.partition);
    if (next !== undefined && offset < next) return undefined;
    return {
      topic: m.topic,
      partition: m.partition,
      offset,
      key: m.key ?? null,
      value: m.value ?? Buffer.alloc(0),
      timestamp: Number(m.timestamp),
      ...(m.headers.size > 0 ? { headers: Object.fromEntries(m.headers) } : {}),
    };
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
    this.stream?.pause();
    this.gate.stop();
  }

  /** Leaves the group and disconnects. */
  async close(): Promise<void> {
    this.gate.stopped = true;
    await this.stream?.close().catch(() => undefined);
    await new Promise<void>((resolve) => this.consumer.close(true, () => resolve()));
  }
}
