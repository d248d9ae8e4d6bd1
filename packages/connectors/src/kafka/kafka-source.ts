import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { Observable, type Subscription } from 'rxjs';
import type { RecordPosition, SourceRecord } from '@sneakpipe/core';
import type { GroupSourceOptions, KafkaGroupSource } from './client.js';
import { askUntilAnswered } from './ask-until-answered.js';
import { commitWithRetry, type KafkaErrorKind } from './commit-with-retry.js';
import { registerLz4Codec } from './lz4-codec.js';
import { RecordsGate } from './records-gate.js';

// Topics written with lz4 by any producer must be readable.
registerLz4Codec();

/** Options of {@link KafkaSource}: the group source's, plus a kafkajs client. */
export interface KafkaSourceOptions extends GroupSourceOptions {
  kafka: Kafka;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A Kafka consumer-group member as a {@link KafkaGroupSource}, on kafkajs.
 *
 * - Records are handed out in partition order with their offsets; nothing is
 *   committed automatically. `commit` stores what the pipeline says is durable.
 * - Backpressure: while `paused` is true, the fetch loop waits (sending
 *   heartbeats, so the member keeps its partitions) and memory stays bounded.
 * - Rebalance: a revoked partition stops being handed out at once; offsets of
 *   records still in flight are never committed by this member (a commit that
 *   the group fences is dropped and the records replay to the new owner).
 * - `stop()` stops fetching and completes `records()`, so the pipeline can
 *   flush, load and commit what it holds; `close()` then leaves the group.
 *
 * @example
 * ```ts
 * const source = new KafkaSource({ kafka, topic: 'sneaker-orders', groupId: 'loader' });
 * loadPipeline({ source, codec: orderEventCodec, sink: orderEventSink({ warehouse, group: 'loader' }) }).subscribe();
 * process.once('SIGTERM', () => source.stop());
 * ```
 */
export class KafkaSource implements KafkaGroupSource {
  readonly topic: string;
  readonly groupId: string;
  private readonly consumer: Consumer;
  private readonly gate = new RecordsGate();
  private assignment: number[] = [];
  private member = false;
  /** Partitions assigned but not yet sought to where they resume: none of their records is handed out. */
  private readonly resuming = new Set<number>();
  private joins = 0;

  constructor(private readonly options: KafkaSourceOptions) {
    this.topic = options.topic;
    this.groupId = options.groupId;
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: options.heartbeatIntervalMs ?? 3_000,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 1024 * 1024,
      // Java's fetch.max.wait.ms. kafkajs' 5 s default is also how long it sleeps when every assigned partition is
      // paused, as they are between an assignment and the seek to the stored positions: each rebalance would stall 5 s.
      maxWaitTimeInMs: 500,
      allowAutoTopicCreation: false,
    });
    this.consumer.on(this.consumer.events.CRASH, () => (this.member = false));
    this.consumer.on(this.consumer.events.DISCONNECT, () => (this.member = false));
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.member = true;
      this.assignment = [...(payload.memberAssignment[this.topic] ?? [])].sort((a, b) => a - b);
      options.logger?.info({ groupId: this.groupId, partitions: this.assignment }, 'joined consumer group');
      if (options.resumeFrom && this.assignment.length > 0) this.resume(options.resumeFrom, this.assignment);
    });
  }

  /**
   * Seeks the assigned partitions to where they resume. GROUP_JOIN fires
   * before the first fetch of the new generation, so pausing them here (in
   * the same tick) means no record of theirs is fetched until the seek.
   */
  private resume(resumeFrom: NonNullable<GroupSourceOptions['resumeFrom']>, partitions: readonly number[]): void {
    const join = ++this.joins;
    const topicPartitions = [{ topic: this.topic, partitions: [...partitions] }];
    this.consumer.pause(topicPartitions);
    for (const p of partitions) this.resuming.add(p);
    askUntilAnswered(
      () => resumeFrom(partitions),
      (offsets) => {
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
      if (!this.gate.claim(subscriber, 'KafkaSource')) return;
      let paused = false;
      let resume: (() => void) | null = null;
      const pauses: Subscription | undefined = this.options.paused?.subscribe((p) => {
        paused = p;
        if (!p) resume?.();
      });

      const eachBatch = async ({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) => {
        if (this.resuming.has(batch.partition)) return;
        for (const message of batch.messages) {
          if (this.gate.stopped || subscriber.closed || !isRunning() || isStale()) return;
          subscriber.next(toSourceRecord(batch.topic, batch.partition, message));
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
        await this.consumer.subscribe({ topics: [this.topic], fromBeginning: this.options.fromBeginning ?? true });
        await this.consumer.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 1, eachBatch });
      })().catch((error) => subscriber.error(error));

      this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) subscriber.error(payload.error);
      });

      return () => {
        pauses?.unsubscribe();
        this.gate.stopped = true;
        resume?.();
      };
    });
  }

  async commit(positions: readonly RecordPosition[]): Promise<void> {
    const mine = positions.filter((p) => p.topic === this.topic);
    if (mine.length === 0) return;
    await commitWithRetry(
      mine,
      () => this.consumer.commitOffsets(mine.map((p) => ({ topic: p.topic, partition: p.partition, offset: String(p.offset) }))),
      kafkaErrorOf,
      this.options.logger,
    );
  }

  /**
   * Stops handing out records and completes `records()`. The consumer stays in
   * its group so the pipeline can still commit what it loads; call `close()` after.
   */
  async stop(): Promise<void> {
    this.consumer.pause([{ topic: this.topic }]);
    this.gate.stop();
  }

  /** Leaves the group and disconnects. */
  async close(): Promise<void> {
    this.gate.stopped = true;
    await this.consumer.disconnect();
  }
}

/**
 * The Kafka error type and retriability of an error, looking through kafkajs's
 * wrappers (a `KafkaJSNonRetriableError` carries the protocol error as its cause).
 */
function kafkaErrorOf(error: unknown): KafkaErrorKind {
  let e = error as { type?: string; retriable?: boolean; cause?: unknown; originalError?: unknown } | undefined;
  const retriable = Boolean(e?.retriable);
  for (let depth = 0; e && depth < 5; depth++) {
    if (e.type) return { type: e.type, retriable: retriable || Boolean(e.retriable) };
    e = (e.cause ?? e.originalError) as typeof e;
  }
  return { type: '', retriable };
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
