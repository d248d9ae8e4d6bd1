/**
 * The Kafka connector: a topic sink for producers, a consumer-group source, a
 * dead-letter topic, topic creation and lag — behind one {@link KafkaClient}
 * contract with two implementations, `@platformatic/kafka` (the default) and
 * kafkajs. {@link openKafkaClient} picks one by name.
 *
 * @packageDocumentation
 */
export {
  KafkaSettingsSchema,
  KafkaConnectionSchema,
  SASL_MECHANISMS,
  kafkaConnector,
  kafkaTopicSettings,
  topicName,
  createKafkaClient,
  parseBrokers,
  type KafkaConnection,
  type KafkaConnectionConfig,
  type ConnectorLogger,
} from './config.js';
export {
  KAFKA_CLIENTS,
  KAFKA_COMPRESSIONS,
  type KafkaClient,
  type KafkaClientName,
  type KafkaCompression,
  type KafkaGroupSource,
  type GroupMemberAssignment,
  type KafkaTopicWriter,
  type GroupSourceOptions,
  type TopicSinkOptions,
} from './client.js';
export { openKafkaClient } from './open-kafka-client.js';
export { kafkajsClient } from './kafkajs-client.js';
export { ensureTopic, consumerLag, type TopicSpec, type PartitionLag } from './topics.js';
export { KafkaTopicSink, type KafkaTopicSinkOptions } from './kafka-topic-sink.js';
export { registerLz4Codec } from './lz4-codec.js';
export { KafkaSource, type KafkaSourceOptions } from './kafka-source.js';
export { deadLetterSink, deadLetterTopicOf, DEAD_LETTER_HEADERS } from './dead-letter-sink.js';
export type { KafkaErrorKind } from './commit-with-retry.js';
export { kafkaError, kafkaErrorKind, hasKafkaErrorType } from './errors.js';
