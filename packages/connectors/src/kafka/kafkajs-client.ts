import type { KafkaClient } from './client.js';
import { createKafkaClient, type ConnectorLogger, type KafkaConnection } from './config.js';
import { groupMembers } from './group-members.js';
import { KafkaSource } from './kafka-source.js';
import { KafkaTopicSink } from './kafka-topic-sink.js';
import { consumerLag, ensureTopic } from './topics.js';

/** The {@link KafkaClient} on kafkajs. Throws a `ZodError` naming a bad setting. */
export function kafkajsClient(connection: KafkaConnection, logger?: ConnectorLogger): KafkaClient {
  const kafka = createKafkaClient(connection, logger);
  return {
    name: 'kafkajs',
    ensureTopic: (spec) => ensureTopic(kafka, spec),
    consumerLag: (groupId, topic) => consumerLag(kafka, groupId, topic),
    groupMembers: (groupId, topic) => groupMembers(kafka, groupId, topic),
    topicSink: (options) => KafkaTopicSink.connect({ ...options, kafka }),
    source: (options) => new KafkaSource({ ...(logger ? { logger } : {}), ...options, kafka }),
  };
}
