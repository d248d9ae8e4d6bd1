/**
 * The Kafka connector on kafkajs (no release since 2023; `@platformatic/kafka`
 * is the default): the `KafkaClient` contract of `@sneakpipe/connectors/kafka`,
 * selected with `openKafkaClient('kafkajs', …)` or `--kafka-client kafkajs`.
 * Importing this entry point loads kafkajs; LZ4 is taught to it when a client connects.
 *
 * @packageDocumentation
 * @module @sneakpipe/connectors/kafka/kafkajs
 */
export { kafkajsClient } from './kafkajs-client.js';
export { createKafkajs } from './connection.js';
export { KafkajsSource, type KafkajsSourceOptions } from './kafkajs-source.js';
export { KafkajsTopicSink, type KafkajsTopicSinkOptions } from './kafkajs-topic-sink.js';
