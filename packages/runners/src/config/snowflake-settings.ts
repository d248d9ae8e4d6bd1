import { SnowflakeSettingsSchema, type SnowflakeConnectionConfig } from '@sneakpipe/connectors/settings';
import { connectorSettings, type SettingsValues } from './settings.js';

/** The Snowflake connector's settings (`snowflakeAccount`, `snowflakeUsername`, …), from its schema. */
const snowflake = connectorSettings(SnowflakeSettingsSchema, 'snowflake');

/**
 * Snowflake settings, with the seed's environment names. When
 * `SNOWFLAKE_ACCOUNT` is unset the warehouse is the embedded DuckDB file.
 */
export const snowflakeSettings = snowflake.settings;

/**
 * The Snowflake connection from the resolved values, checked with the
 * connector's schema (the user, a password or a key), or `undefined` when no
 * account is configured (DuckDB then).
 */
export function snowflakeConnection(values: SettingsValues<typeof snowflakeSettings>): SnowflakeConnectionConfig | undefined {
  return values.snowflakeAccount ? snowflake.check(values) : undefined;
}
