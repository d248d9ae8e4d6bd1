/**
 * The Snowflake warehouse (snowflake-sdk): the seed's `RETAIL_LAB.STG` tables,
 * idempotent MERGE loads, password or key-pair authentication.
 *
 * @packageDocumentation
 */
export { SnowflakeWarehouse } from './snowflake-warehouse.js';
export { SnowflakeConnectionSchema, type SnowflakeConnection, type SnowflakeConnectionConfig } from './config.js';
export * as snowflakeSql from './sql.js';
