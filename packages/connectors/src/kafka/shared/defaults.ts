import type { GroupSourceOptions, KafkaCompression, TopicSinkOptions, TopicSpec } from './kafka-client.js';

/**
 * The defaults both Kafka clients apply, in one place so that kafkajs and
 * `@platformatic/kafka` members of one deployment behave alike.
 */
export const KAFKA_DEFAULTS = {
  /** The client id members and producers connect with. */
  clientId: 'sneakpipe',
  connectionTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  /** The client library's own retries of a failed request (a leader moving, a broker restarting). */
  retries: 8,
  /** Wait before the first of those retries; the libraries back off from there. */
  retryDelayMs: 300,
  /** How long the group waits for a silent member (Kafka Connect's default): it bounds recovery after a crash. */
  sessionTimeoutMs: 10_000,
  heartbeatIntervalMs: 3_000,
  /**
   * Most bytes fetched per partition per request: 256 KiB. A consumer holds
   * what it fetched ahead of its loads, decompressed, so a quarter of Kafka's
   * own 1 MiB keeps a draining consumer's memory lower, at the same
   * throughput on a nearby broker (docs/benchmarks.md). Raise it for a broker
   * far away: each partition moves at most this much per round trip.
   */
  maxBytesPerPartition: 256 * 1024,
  /** A partition with no committed offset starts at its earliest record. */
  fromBeginning: true,
  /** Partitions of a created topic: up to three members of a consumer group share its records. */
  partitions: 3,
  /** A single broker; use 3 on a production cluster. */
  replicationFactor: 1,
  createTopic: true,
  compression: 'gzip' as KafkaCompression,
  /** Idempotent producer with acks=all. */
  idempotent: true,
} as const;

/** A group source's settings with the defaults applied. */
export interface ResolvedGroupOptions {
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly maxBytesPerPartition: number;
  readonly fromBeginning: boolean;
}

/** {@link GroupSourceOptions} with {@link KAFKA_DEFAULTS} where a setting is absent. */
export function withGroupDefaults(options: GroupSourceOptions): ResolvedGroupOptions {
  return {
    sessionTimeoutMs: options.sessionTimeoutMs ?? KAFKA_DEFAULTS.sessionTimeoutMs,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? KAFKA_DEFAULTS.heartbeatIntervalMs,
    maxBytesPerPartition: options.maxBytesPerPartition ?? KAFKA_DEFAULTS.maxBytesPerPartition,
    fromBeginning: options.fromBeginning ?? KAFKA_DEFAULTS.fromBeginning,
  };
}

/** A topic's partition count and replication factor, with {@link KAFKA_DEFAULTS} where absent. */
export function withTopicDefaults(spec: TopicSpec): { readonly partitions: number; readonly replicationFactor: number } {
  return {
    partitions: spec.partitions ?? KAFKA_DEFAULTS.partitions,
    replicationFactor: spec.replicationFactor ?? KAFKA_DEFAULTS.replicationFactor,
  };
}

/** A topic sink's settings, with {@link KAFKA_DEFAULTS} where absent. */
export function withTopicSinkDefaults(options: TopicSinkOptions): {
  readonly createTopic: boolean;
  readonly compression: KafkaCompression;
  readonly idempotent: boolean;
} {
  return {
    createTopic: options.createTopic ?? KAFKA_DEFAULTS.createTopic,
    compression: options.compression ?? KAFKA_DEFAULTS.compression,
    idempotent: options.idempotent ?? KAFKA_DEFAULTS.idempotent,
  };
}
