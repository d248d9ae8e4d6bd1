/**
 * The Kafka connector on `@platformatic/kafka` (maintained, pure TypeScript,
 * the default): the `KafkaClient` contract of `@sneakpipe/connectors/kafka`,
 * selected with `openKafkaClient('platformatic', …)` or `--kafka-client platformatic`.
 * Importing this entry point loads `@platformatic/kafka`. Like every client
 * library's entry point it exports two things: its client,
 * `platformaticClient(connection, logger?)`, and its connector,
 * `platformaticConnector` (the one of `KAFKA_CLIENT_CONNECTORS`).
 *
 * @packageDocumentation
 * @module @sneakpipe/connectors/kafka/platformatic
 */
export { platformaticClient } from './platformatic-client.js';
export { platformaticConnector } from './connector.js';
