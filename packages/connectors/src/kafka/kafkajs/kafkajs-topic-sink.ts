import { CompressionTypes, Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { OutgoingRecord } from '@sneakpipe/core';
import type { KafkaCompression, KafkaTopicWriter, TopicSinkOptions } from '../shared/kafka-client.js';
import { topicSinkSettings } from '../shared/defaults.js';
import { toBuffer } from '../shared/to-buffer.js';
import { ensureTopic } from './admin.js';
import { registerLz4Codec } from './lz4-codec.js';

/** Options of {@link KafkajsTopicSink.connect}: the topic sink's, plus a kafkajs client. */
export interface KafkajsTopicSinkOptions extends TopicSinkOptions {
  kafka: Kafka;
}

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
 *
 * @example
 * ```ts
 * import { batch, load, serialize } from '@sneakpipe/core';
 * import { generate, orderEventCodec } from '@sneakpipe/sneakers';
 * import { KafkajsTopicSink, createKafkajs } from '@sneakpipe/connectors/kafka/kafkajs';
 *
 * const kafka = createKafkajs({ brokers: ['localhost:9092'] });
 * const topic = await KafkajsTopicSink.connect({ kafka, topic: 'sneaker-orders' });
 * generate().pipe(serialize(orderEventCodec, { key: (e) => String(e.order_id) }), batch({ maxCount: 2_000, maxWaitMs: 20 }), load(topic));
 * ```
 */
export class KafkajsTopicSink implements KafkaTopicWriter {
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

  static async connect(options: KafkajsTopicSinkOptions): Promise<KafkajsTopicSink> {
    // The codec is global to kafkajs: taught once per process, on first use, not on import.
    registerLz4Codec();
    const { createTopic, compression, idempotent } = topicSinkSettings(options);
    if (createTopic) await ensureTopic(options.kafka, options);
    const producer = options.kafka.producer({
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
