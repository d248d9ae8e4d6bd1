import type { ConnectorDescriptor, OutgoingRecord, Sink, Source } from '@sneakpipe/core';
import type { Observable } from 'rxjs';
import type { ConnectorLogger, KafkaConnection, KafkaConnectionSchema } from './config.js';
import type { PartitionLag } from './lag.js';

/** The Kafka client libraries sneakpipe can talk to a broker with. */
export const KAFKA_CLIENTS = ['platformatic', 'kafkajs'] as const;
/** `platformatic` (`@platformatic/kafka`, maintained, the default) or `kafkajs` (no release since 2023). */
export type KafkaClientName = (typeof KAFKA_CLIENTS)[number];

/** What {@link KafkaClient.ensureTopic} creates. */
export interface TopicSpec {
  topic: string;
  /** Default 3 (`KAFKA_DEFAULTS.partitions`): up to three members of a group share the topic. */
  partitions?: number;
  /** Default 1 (a single broker); use 3 on a production cluster. */
  replicationFactor?: number;
}

/** Compression codecs a topic sink can publish with. */
export const KAFKA_COMPRESSIONS = ['none', 'gzip', 'lz4'] as const;
/** One of {@link KAFKA_COMPRESSIONS}. */
export type KafkaCompression = (typeof KAFKA_COMPRESSIONS)[number];

/** Options of {@link KafkaClient.topicSink}. */
export interface TopicSinkOptions extends TopicSpec {
  /** Create the topic if absent. Default true. */
  createTopic?: boolean;
  /** Default `gzip`; `lz4` is faster on CPU with a slightly larger output. */
  compression?: KafkaCompression;
  /**
   * Idempotent producer with acks=all (the default): the broker drops the
   * duplicates that retries would otherwise create.
   */
  idempotent?: boolean;
}

/**
 * A topic as a sink: `write` resolves once every record of the batch is
 * acknowledged by all in-sync replicas (acks=all); keys are partitioned with
 * Kafka's murmur2, as Java clients do.
 */
export interface KafkaTopicSink extends Sink<OutgoingRecord> {
  readonly topic: string;
  /** Connected, and the last publish (if any) succeeded. */
  readonly healthy: boolean;
  close(): Promise<void>;
}

/** Options of {@link KafkaClient.source}. */
export interface GroupSourceOptions {
  topic: string;
  /** The consumer group: consumers with the same group share the topic's partitions. */
  groupId: string;
  /** Where a partition with no committed offset starts. Default true (earliest). */
  fromBeginning?: boolean;
  /** Backpressure: while the latest value is `true`, no record is handed out and fetching waits. */
  paused?: Observable<boolean>;
  /**
   * Where assigned partitions resume, asked on every assignment (e.g. a
   * warehouse's stored positions, `positionedSink.resume`): an offset per
   * partition; a partition without one resumes from the group's committed
   * offset. With kafkajs the source seeks there before handing out any record
   * of the partition. `@platformatic/kafka` has no seek: the source holds the
   * partition's records until the answer comes, and where the committed offset
   * is past it, commits it and reopens its fetch stream once. Either way the
   * positions are then committed, and `positionedSink` drops what lies below.
   * Exception: a partition this member gets back after another member owned it
   * resumes from the committed offset where that is past the answer — the
   * other member loaded those records, possibly into another warehouse.
   */
  resumeFrom?: (partitions: readonly number[]) => Promise<ReadonlyMap<number, number>>;
  /**
   * How long the group waits for a silent member before giving its partitions
   * to others. After a crash the partitions stay unassigned this long, so it
   * bounds recovery time. Default 10,000 ms (Kafka Connect's default).
   */
  sessionTimeoutMs?: number;
  /** Default 3,000 ms. */
  heartbeatIntervalMs?: number;
  /** Most bytes fetched per partition per request: what the member holds fetched ahead of its loads. Default 256 KiB. */
  maxBytesPerPartition?: number;
  logger?: ConnectorLogger;
}

/**
 * A consumer-group member as a {@link Source}: records in partition order, no
 * automatic commit, records of revoked partitions never handed out, fenced
 * commits dropped (the records replay to the new owner).
 */
export interface KafkaGroupSource extends Source {
  readonly topic: string;
  readonly groupId: string;
  /** A member of its group right now: the broker is reachable. */
  readonly healthy: boolean;
  /** Partitions this member owns since the last rebalance. */
  readonly partitions: readonly number[];
  /** Stops handing out records and completes `records()`; commits still work until `close()`. */
  stop(): Promise<void>;
}

/**
 * One member of a consumer group and the partitions of one topic it owns, as
 * {@link KafkaClient.groupMembers} reports them (e.g. for `sneakpipe status`).
 */
export interface GroupMemberAssignment {
  /** The id the group coordinator gave the member. */
  memberId: string;
  /** The client id it connected with (`sneakpipe` unless configured otherwise). */
  clientId: string;
  /** Where the coordinator sees it connect from, as Kafka reports it (e.g. `/127.0.0.1`). */
  host: string;
  /** Partitions of the topic it owns, ascending; empty while the group rebalances or when it owns none. */
  partitions: number[];
}

/**
 * One Kafka client library behind the handful of operations sneakpipe needs.
 * Both implementations pass the same real-broker suite; pick one with
 * {@link openKafkaClient}.
 */
export interface KafkaClient {
  readonly name: KafkaClientName;
  /** Creates a topic if it does not exist (idempotent, safe when processes race). */
  ensureTopic(spec: TopicSpec): Promise<void>;
  /** The lag of a consumer group on a topic, per partition. */
  consumerLag(groupId: string, topic: string): Promise<PartitionLag[]>;
  /**
   * The members of a consumer group right now and the partitions of `topic`
   * each owns, whichever client each member runs (both write the standard
   * consumer-protocol assignment); empty when the group is empty or unknown.
   */
  groupMembers(groupId: string, topic: string): Promise<GroupMemberAssignment[]>;
  /** A connected producer on one topic (created first unless `createTopic: false`). */
  topicSink(options: TopicSinkOptions): Promise<KafkaTopicSink>;
  /** A consumer-group member; it connects when `records()` is subscribed. */
  source(options: GroupSourceOptions): KafkaGroupSource;
}

/**
 * A Kafka client library as a connector, the shape every connector has: its
 * name, its config schema and how it opens. `open` validates the connection
 * (a bad setting is a `ConfigError` naming it) and loads the library only
 * then, so a list of these loads none. Found by name with
 * `kafkaClientConnector(name)`.
 *
 * @example
 * ```ts
 * import { kafkaClientConnector } from '@sneakpipe/connectors/kafka';
 *
 * const connector = kafkaClientConnector('kafkajs');
 * const kafka = await connector.open({ brokers: ['localhost:9092'] });
 * await kafka.ensureTopic({ topic: 'sneaker-orders' });
 * ```
 */
export interface KafkaClientConnector extends ConnectorDescriptor<typeof KafkaConnectionSchema> {
  readonly name: KafkaClientName;
  open(connection: KafkaConnection, logger?: ConnectorLogger): Promise<KafkaClient>;
}
