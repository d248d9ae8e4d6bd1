/**
 * The Snowflake warehouse (snowflake-sdk): the tables it is given, in the
 * database and schema of its settings, append-only loads made exactly-once by
 * positions stored in the same transaction, password or key-pair
 * authentication.
 *
 * @packageDocumentation
 * @module @sneakpipe/connectors/snowflake
 */
export { SnowflakeWarehouse, type SnowflakeWarehouseOptions } from './snowflake-warehouse.js';
export {
  SnowflakeSettingsSchema,
  SnowflakeConnectionSchema,
  snowflakeConnector,
  authenticationOf,
  type SnowflakeConnection,
  type SnowflakeConnectionConfig,
} from './config.js';
export { snowflakeError } from './errors.js';
