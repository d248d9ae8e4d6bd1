import { KafkaSettingsSchema, kafkaTopicSettings, type KafkaConnectionConfig } from '@sneakpipe/connectors/kafka';
import { connectorSettings, type SettingsValues } from './settings.js';

/** The Kafka connector's settings (`kafkaBrokers`, `kafkaClient`, `kafkaSsl`, `kafkaSasl…`, `kafkaCompression`), from its schema. */
const kafka = connectorSettings(KafkaSettingsSchema, 'kafka');
const { kafkaCompression, ...connection } = kafka.settings;

/** Kafka settings shared by the commands that talk to Kafka, with the original system's environment names. */
export const kafkaSettings = {
  ...connection,
  // The connector gives the topic's rule, the application its default.
  topic: kafkaTopicSettings.topic.default('sneaker-orders'),
};

/** How the producer compresses what it publishes. */
export const compressionSettings = { kafkaCompression };

/** Topic creation settings (producer side). */
export const topicSettings = {
  partitions: kafkaTopicSettings.partitions,
  replicationFactor: kafkaTopicSettings.replicationFactor,
};

/** The consumer group (`consume` joins it; `status` describes it). */
export const groupSettings = { group: kafkaTopicSettings.group.default('sneakpipe-loader') };

/** How much a consumer fetches ahead (`consume`). */
export const fetchSettings = { fetchMaxBytesPerPartition: kafkaTopicSettings.fetchMaxBytesPerPartition };

/** The connector's settings from the resolved values, checked with its schema: what is required, and SASL's parts together. */
export function kafkaConnection(values: SettingsValues<typeof connection>): KafkaConnectionConfig {
  return kafka.check(values);
}
