/**
 * The connectors' descriptors, without their drivers: each connector's name
 * and config schema (with every setting's flag, environment variable, default
 * and help), for a CLI or a docs generator to read, and the warehouses and
 * Kafka client libraries found by name ({@link openWarehouse},
 * {@link kafkaClientConnector}). Importing this loads no warehouse driver nor
 * Kafka client library: each is loaded when its connector opens.
 *
 * @packageDocumentation
 * @module @sneakpipe/connectors/settings
 */
export { DuckDbSettingsSchema, duckdbConnector, type DuckDbSettings } from '../duckdb/config.js';
export {
  KafkaSettingsSchema,
  SASL_MECHANISMS,
  kafkaConnector,
  kafkaTopicSettings,
  type KafkaConnection,
  type KafkaConnectionConfig,
} from '../kafka/shared/config.js';
export { KAFKA_CLIENT_CONNECTORS, kafkaClientConnector } from '../kafka/kafka-client-connectors.js';
export type { KafkaClientConnector } from '../kafka/shared/kafka-client.js';
export {
  SnowflakeSettingsSchema,
  snowflakeConnector,
  authenticationOf,
  type SnowflakeConnection,
  type SnowflakeConnectionConfig,
} from '../snowflake/config.js';
export { WAREHOUSE_CONNECTORS, openWarehouse, warehouseConnector } from './warehouses.js';
