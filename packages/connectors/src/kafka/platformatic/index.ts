/**
 * The Kafka connector on `@platformatic/kafka` (maintained, pure TypeScript,
 * the default): the `KafkaClient` contract of `@sneakpipe/connectors/kafka`,
 * selected with `openKafkaClient('platformatic', …)` or `--kafka-client platformatic`.
 * Importing this entry point loads `@platformatic/kafka`.
 *
 * @packageDocumentation
 * @module @sneakpipe/connectors/kafka/platformatic
 */
export { platformaticClient } from './platformatic-client.js';
export { platformaticOptions } from './connection.js';
export { PlatformaticSource } from './platformatic-source.js';
export { PlatformaticTopicSink } from './platformatic-topic-sink.js';
