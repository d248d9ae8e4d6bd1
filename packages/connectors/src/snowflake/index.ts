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
export { setupSql, type SetupSqlOptions } from './setup-sql.js';
export {
  StreamingWarehouse,
  channelName,
  defaultPipe,
  MAX_APPEND_BYTES,
  type StreamingWarehouseOptions,
} from './streaming/streaming-warehouse.js';
export {
  StreamingApi,
  StreamingApiError,
  type StreamingApiOptions,
  type ChannelAddress,
  type ChannelStatus,
} from './streaming/streaming-api.js';
export { KeyPairJwt, publicKeyFingerprint, type KeyPairIdentity } from './streaming/key-pair-jwt.js';
export { STREAMED_POSITIONS } from './streaming/streamed-positions.js';
export { openStreamingWarehouse } from './streaming/open-streaming-warehouse.js';
