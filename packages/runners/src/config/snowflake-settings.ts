import { SnowflakeSettingsSchema, type SnowflakeConnectionConfig } from '@sneakpipe/connectors/settings';
import { WAREHOUSE_LOCATION } from '@sneakpipe/sneakers';
import { connectorSettings, type SettingsValues } from './settings.js';

/** The Snowflake connector's settings (`snowflakeAccount`, `snowflakeUsername`, …), from its schema. */
const snowflake = connectorSettings(SnowflakeSettingsSchema, 'snowflake');
const { database, schema } = SnowflakeSettingsSchema.shape;

/**
 * Snowflake settings, with the original system's environment names. When
 * `SNOWFLAKE_ACCOUNT` is unset the warehouse is the embedded DuckDB file.
 * The connector requires a database and defaults to the `PUBLIC` schema; the
 * shop's are the defaults here (`SNOWFLAKE_DATABASE=RETAIL_LAB`,
 * `SNOWFLAKE_SCHEMA=STG`).
 */
export const snowflakeSettings = {
  ...snowflake.settings,
  // The connector gives the rule, the application its default.
  snowflakeDatabase: database.default(WAREHOUSE_LOCATION.database),
  snowflakeSchema: schema.default(WAREHOUSE_LOCATION.schema),
};

/**
 * The Snowflake connection from the resolved values, checked with the
 * connector's schema (the user, a password or a key), or `undefined` when no
 * account is configured (DuckDB then).
 */
export function snowflakeConnection(values: SettingsValues<typeof snowflakeSettings>): SnowflakeConnectionConfig | undefined {
  return values.snowflakeAccount ? snowflake.check(values) : undefined;
}
