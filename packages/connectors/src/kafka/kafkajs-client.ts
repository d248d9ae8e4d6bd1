import type { KafkaClient } from './client.js';
import { createKafkaClient, type ConnectorLogger, type KafkaConnection } from './config.js';
import { mappingKafkaErrors } from './errors.js';
import { groupMembers } from './group-members.js';
import { KafkaSource } from './kafka-source.js';
import { KafkaTopicSink } from './kafka-topic-sink.js';
import { consumerLag, ensureTopic } from './topics.js';

/**
 * The {@link KafkaClient} on kafkajs. Throws a `ZodError` naming a bad setting;
 * its operations reject with errors mapped by `kafkaError` (e.g. `BROKER_UNREACHABLE`).
 */
export function kafkajsClient(connection: KafkaConnection, logger?: ConnectorLogger): KafkaClient {
  const kafka = createKafkaClient(connection, logger);
  return {
    name: 'kafkajs',
    ensureTopic: (spec) => mappingKafkaErrors(() => ensureTopic(kafka, spec)),
    consumerLag: (groupId, topic) => mappingKafkaErrors(() => consumerLag(kafka, groupId, topic)),
    groupMembers: (groupId, topic) => mappingKafkaErrors(() => groupMembers(kafka, groupId, topic)),
    topicSink: (options) => mappingKafkaErrors(() => KafkaTopicSink.connect({ ...options, kafka })),
    source: (options) => new KafkaSource({ ...(logger ? { logger } : {}), ...options, kafka }),
  };
}
