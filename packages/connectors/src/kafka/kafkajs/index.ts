/**
 * The Kafka connector on kafkajs (no release since 2023; `@platformatic/kafka`
 * is the default): the `KafkaClient` contract of `@sneakpipe/connectors/kafka`,
 * selected with `openKafkaClient('kafkajs', …)` or `--kafka-client kafkajs`.
 * Importing this entry point loads kafkajs; LZ4 is taught to it when a client connects.
 * Like every client library's entry point it exports two things: its client,
 * `kafkajsClient(connection, logger?)`, and its connector, `kafkajsConnector`
 * (the one of `KAFKA_CLIENT_CONNECTORS`).
 *
 * @packageDocumentation
 * @module @sneakpipe/connectors/kafka/kafkajs
 */
export { kafkajsClient } from './kafkajs-client.js';
export { kafkajsConnector } from './connector.js';
