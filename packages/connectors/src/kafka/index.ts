/**
 * The Kafka connector (kafkajs): a topic sink for producers, a consumer-group
 * source, a dead-letter topic, topic creation and lag.
 *
 * @packageDocumentation
 */
export { KafkaConnectionSchema, createKafkaClient, parseBrokers, type KafkaConnection, type ConnectorLogger } from './config.js';
export { ensureTopic, consumerLag, type TopicSpec, type PartitionLag } from './topics.js';
export { KafkaTopicSink, type KafkaTopicSinkOptions, type KafkaCompression } from './kafka-topic-sink.js';
export { registerLz4Codec } from './lz4-codec.js';
export { KafkaSource, type KafkaSourceOptions } from './kafka-source.js';
export { deadLetterSink, deadLetterTopicOf, DEAD_LETTER_HEADERS } from './dead-letter-sink.js';
