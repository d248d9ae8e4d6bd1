/**
 * `@sneakpipe/connectors/kafka/testing`: the real-broker contract suite both
 * built-in Kafka clients pass, to run against your own `KafkaClient`. Needs
 * `vitest` (an optional peer dependency of `@sneakpipe/connectors`) and a broker.
 *
 * @packageDocumentation
 * @module @sneakpipe/connectors/kafka/testing
 */
export { describeKafkaClientContract } from './kafka-client-contract.js';
