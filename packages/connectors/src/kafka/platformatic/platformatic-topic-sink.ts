import { Producer, ProduceAcks, compatibilityPartitioner, stringSerializer, type BaseOptions } from '@platformatic/kafka';
import type { OutgoingRecord } from '@sneakpipe/core';
import type { KafkaTopicSink, TopicSinkOptions } from '../shared/kafka-client.js';
import { withTopicSinkDefaults } from '../shared/defaults.js';
import { toBuffer } from '../shared/to-buffer.js';
import { ensureTopic } from './admin.js';

/**
 * Publishes batches of records to a Kafka topic with `@platformatic/kafka`.
 * `write` resolves once every record is acknowledged by all in-sync replicas
 * (acks=all, idempotent producer); keys land on the partition Java clients
 * pick (murmur2, Kafka's compatibility partitioner). A delivery error rejects
 * the write: `load` retries it and counts it. Internal: users get it from
 * `platformaticClient(…).topicSink(options)`.
 */
export class PlatformaticTopicSink implements KafkaTopicSink {
  private lastWriteFailed = false;

  private constructor(
    private readonly producer: Producer<Buffer, Buffer, string, string>,
    readonly topic: string,
  ) {}

  /** Connected, and the last publish (if any) succeeded: the broker is reachable. */
  get healthy(): boolean {
    return this.producer.isConnected() && !this.lastWriteFailed;
  }

  /** Creates the topic unless told not to, then connects a producer: the same arguments as `KafkajsTopicSink.connect`. */
  static async connect(client: BaseOptions, options: TopicSinkOptions): Promise<PlatformaticTopicSink> {
    const { createTopic, compression, idempotent } = withTopicSinkDefaults(options);
    if (createTopic) await ensureTopic(client, options);
    const producer = new Producer<Buffer, Buffer, string, string>({
      ...client,
      idempotent,
      acks: ProduceAcks.ALL,
      compression,
      partitioner: compatibilityPartitioner,
      autocreateTopics: false,
      serializers: { headerKey: stringSerializer, headerValue: stringSerializer },
    });
    // Connects now, so a wrong address fails here rather than at the first write.
    await producer.metadata({ topics: [options.topic] });
    return new PlatformaticTopicSink(producer, options.topic);
  }

  async write(batch: readonly OutgoingRecord[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      await this.producer.send({
        messages: batch.map((r) => ({
          topic: this.topic,
          ...(r.key ? { key: toBuffer(r.key) } : {}),
          value: toBuffer(r.value),
          ...(r.headers ? { headers: new Map(Object.entries(r.headers)) } : {}),
        })),
      });
      this.lastWriteFailed = false;
    } catch (error) {
      this.lastWriteFailed = true;
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.producer.close();
  }
}
