import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { Observable, type Subscription } from 'rxjs';
import type { RecordPosition, Source, SourceRecord } from '@sneakpipe/core';
import type { ConnectorLogger } from './config.js';
import { registerLz4Codec } from './lz4-codec.js';

// Topics written with lz4 by any producer must be readable.
registerLz4Codec();

/** Options of {@link KafkaSource}. */
export interface KafkaSourceOptions {
  kafka: Kafka;
  topic: string;
  /** The consumer group: consumers with the same group share the topic's partitions. */
  groupId: string;
  /** Where a partition with no committed offset starts. Default true (earliest). */
  fromBeginning?: boolean;
  /** Backpressure: while the latest value is `true`, no record is handed out and fetching waits. */
  paused?: Observable<boolean>;
  /**
   * How long the group waits for a silent member before giving its partitions
   * to others. After a crash the partitions stay unassigned this long, so it
   * bounds recovery time. Default 10,000 ms (Kafka Connect's default).
   */
  sessionTimeoutMs?: number;
  /** Default 3,000 ms. */
  heartbeatIntervalMs?: number;
  /** Most bytes fetched per partition per request. Default 1 MiB. */
  maxBytesPerPartition?: number;
  logger?: ConnectorLogger;
}

/** Kafka error types that mean "this member's view of the group is stale": the commit is dropped, the records replay. */
const FENCED = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID']);
/** Attempts of a commit that fails for a passing reason (coordinator moving, broker restarting). */
const COMMIT_ATTEMPTS = 20;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A Kafka consumer-group member as a {@link Source}.
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
 * loadPipeline({ source, codec: orderEventCodec, sink: warehouse }).subscribe();
 * process.once('SIGTERM', () => source.stop());
 * ```
 */
export class KafkaSource implements Source {
  readonly topic: string;
  readonly groupId: string;
  private readonly consumer: Consumer;
  private stopping = false;
  private running = false;
  private complete: (() => void) | null = null;
  private assignment: number[] = [];
  private member = false;

  constructor(private readonly options: KafkaSourceOptions) {
    this.topic = options.topic;
    this.groupId = options.groupId;
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: options.heartbeatIntervalMs ?? 3_000,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 1024 * 1024,
      allowAutoTopicCreation: false,
    });
    this.consumer.on(this.consumer.events.CRASH, () => (this.member = false));
    this.consumer.on(this.consumer.events.DISCONNECT, () => (this.member = false));
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.member = true;
      this.assignment = [...(payload.memberAssignment[this.topic] ?? [])].sort((a, b) => a - b);
      options.logger?.info({ groupId: this.groupId, partitions: this.assignment }, 'joined consumer group');
    });
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
      if (this.running) {
        subscriber.error(new Error('KafkaSource.records() is already subscribed'));
        return;
      }
      this.running = true;
      if (this.stopping) {
        subscriber.complete();
        return;
      }
      let paused = false;
      let resume: (() => void) | null = null;
      const pauses: Subscription | undefined = this.options.paused?.subscribe((p) => {
        paused = p;
        if (!p) resume?.();
      });
      this.complete = () => subscriber.complete();

      const eachBatch = async ({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) => {
        for (const message of batch.messages) {
          if (this.stopping || subscriber.closed || !isRunning() || isStale()) return;
          subscriber.next(toSourceRecord(batch.topic, batch.partition, message));
          // Only what was handed out counts as consumed: a batch cut short by a
          // rebalance or a stop is fetched again from here, never skipped.
          resolveOffset(message.offset);
          while (paused && !this.stopping && isRunning() && !isStale()) {
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
        this.stopping = true;
        resume?.();
      };
    });
  }

  async commit(positions: readonly RecordPosition[]): Promise<void> {
    const mine = positions.filter((p) => p.topic === this.topic);
    if (mine.length === 0) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.consumer.commitOffsets(mine.map((p) => ({ topic: p.topic, partition: p.partition, offset: String(p.offset) })));
        return;
      } catch (error) {
        const { type, retriable } = kafkaErrorOf(error);
        if (FENCED.has(type)) {
          this.options.logger?.warn({ type, positions: mine }, 'commit fenced by a rebalance; these records will be replayed');
          return;
        }
        // A coordinator that moved or a broker that restarts: the commit is retried, not lost.
        if (!retriable || attempt >= COMMIT_ATTEMPTS) throw error;
        this.options.logger?.warn({ type, attempt }, 'commit failed, retrying');
        await sleep(Math.min(5_000, 200 * 2 ** attempt));
      }
    }
  }

  /**
   * Stops handing out records and completes `records()`. The consumer stays in
   * its group so the pipeline can still commit what it loads; call `close()` after.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.consumer.pause([{ topic: this.topic }]);
    this.complete?.();
  }

  /** Leaves the group and disconnects. */
  async close(): Promise<void> {
    this.stopping = true;
    await this.consumer.disconnect();
  }
}

/**
 * The Kafka error type and retriability of an error, looking through kafkajs's
 * wrappers (a `KafkaJSNonRetriableError` carries the protocol error as its cause).
 */
function kafkaErrorOf(error: unknown): { type: string; retriable: boolean } {
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
