/**
 * The Kafka connector: a topic sink for producers, a consumer-group source, a
 * dead-letter topic, topic creation, lag and group membership — behind one
 * {@link KafkaClient} contract with two implementations, `@platformatic/kafka`
 * (the default, `@sneakpipe/connectors/kafka/platformatic`) and kafkajs
 * (`@sneakpipe/connectors/kafka/kafkajs`). Each is a connector of
 * {@link KAFKA_CLIENT_CONNECTORS}; {@link openKafkaClient} picks one by name
 * and loads only that library.
 *
 * @packageDocumentation
 * @module @sneakpipe/connectors/kafka
 */
export {
  KafkaSettingsSchema,
  KafkaConnectionSchema,
  SASL_MECHANISMS,
  kafkaConnector,
  kafkaTopicSettings,
  topicName,
  parseBrokers,
  type KafkaConnection,
  type KafkaConnectionConfig,
  type ConnectorLogger,
} from './shared/config.js';
export {
  KAFKA_CLIENTS,
  KAFKA_COMPRESSIONS,
  type KafkaClient,
  type KafkaClientConnector,
  type KafkaClientName,
  type KafkaCompression,
  type KafkaGroupSource,
  type GroupMemberAssignment,
  type KafkaTopicSink,
  type GroupSourceOptions,
  type TopicSinkOptions,
  type TopicSpec,
} from './shared/kafka-client.js';
export { KAFKA_DEFAULTS } from './shared/defaults.js';
export type { PartitionLag } from './shared/lag.js';
export { openKafkaClient } from './open-kafka-client.js';
export { KAFKA_CLIENT_CONNECTORS, kafkaClientConnector } from './kafka-client-connectors.js';
export {
  deadLetterSink,
  deadLetterTopicOf,
  DEAD_LETTER_HEADERS,
  toDeadLetterRecord,
  fromDeadLetterRecord,
} from './shared/dead-letter-sink.js';
export type { KafkaErrorKind } from './shared/commit-with-retry.js';
export { kafkaError, kafkaErrorKind, hasKafkaErrorType } from './shared/errors.js';
