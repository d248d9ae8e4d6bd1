import type { KafkaClient } from '../shared/kafka-client.js';
import type { ConnectorLogger, KafkaConnection } from '../shared/config.js';
import { consumerLag, ensureTopic, groupMembers } from './admin.js';
import { createKafkajs } from './connection.js';
import { KafkajsSource } from './kafkajs-source.js';
import { KafkajsTopicSink } from './kafkajs-topic-sink.js';

/** The {@link KafkaClient} on kafkajs. Throws a `ZodError` naming a bad setting. */
export function kafkajsClient(connection: KafkaConnection, logger?: ConnectorLogger): KafkaClient {
  const kafka = createKafkajs(connection, logger);
  return {
    name: 'kafkajs',
    ensureTopic: (spec) => ensureTopic(kafka, spec),
    consumerLag: (groupId, topic) => consumerLag(kafka, groupId, topic),
    groupMembers: (groupId, topic) => groupMembers(kafka, groupId, topic),
    topicSink: (options) => KafkajsTopicSink.connect({ ...options, kafka }),
    source: (options) => new KafkajsSource({ ...(logger ? { logger } : {}), ...options, kafka }),
  };
}
