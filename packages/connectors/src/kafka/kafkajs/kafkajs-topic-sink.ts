import { CompressionTypes, Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { OutgoingRecord } from '@sneakpipe/core';
import type { KafkaCompression, KafkaTopicSink, TopicSinkOptions } from '../shared/kafka-client.js';
import { withTopicSinkDefaults } from '../shared/defaults.js';
import { toBuffer } from '../shared/to-buffer.js';
import { ensureTopic } from './admin.js';
import { registerLz4Codec } from './lz4-codec.js';

const CODECS: Record<KafkaCompression, CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  lz4: CompressionTypes.LZ4,
};

/**
 * Publishes batches of records to a Kafka topic, on kafkajs. `write` resolves only once
 * every record of the batch is acknowledged by all in-sync replicas (acks=all),
 * so a pipeline that uses `load` never counts a record as sent before it
 * is safe. Delivery errors reject the write: `load` retries it and counts it.
 * Internal: users get it from `kafkajsClient(…).topicSink(options)`.
 */
export class KafkajsTopicSink implements KafkaTopicSink {
  private lastWriteFailed = false;
  private disconnected = false;

  private constructor(
    private readonly producer: Producer,
    readonly topic: string,
    private readonly compression: CompressionTypes,
    private readonly acks: number,
  ) {
    producer.on(producer.events.DISCONNECT, () => (this.disconnected = true));
    producer.on(producer.events.CONNECT, () => (this.disconnected = false));
  }

  /** Connected, and the last publish (if any) succeeded: the broker is reachable. */
  get healthy(): boolean {
    return !this.disconnected && !this.lastWriteFailed;
  }

  /** Creates the topic unless told not to, then connects a producer: the same arguments as `PlatformaticTopicSink.connect`. */
  static async connect(kafka: Kafka, options: TopicSinkOptions): Promise<KafkajsTopicSink> {
    // The codec is global to kafkajs: taught once per process, on first use, not on import.
    registerLz4Codec();
    const { createTopic, compression, idempotent } = withTopicSinkDefaults(options);
    if (createTopic) await ensureTopic(kafka, options);
    const producer = kafka.producer({
      // Java's default partitioner (murmur2): keys land where Java clients put them.
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent,
      // kafkajs requires one request in flight per broker for idempotence to hold.
      maxInFlightRequests: idempotent ? 1 : 5,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    return new KafkajsTopicSink(producer, options.topic, CODECS[compression], -1);
  }

  async write(batch: readonly OutgoingRecord[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      await this.send(batch);
      this.lastWriteFailed = false;
    } catch (error) {
      this.lastWriteFailed = true;
      throw error;
    }
  }

  private async send(batch: readonly OutgoingRecord[]): Promise<void> {
    await this.producer.send({
      topic: this.topic,
      acks: this.acks,
      compression: this.compression,
      messages: batch.map((r) => ({
        key: r.key ? toBuffer(r.key) : null,
        value: toBuffer(r.value),
        ...(r.headers ? { headers: r.headers } : {}),
      })),
    });
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}
