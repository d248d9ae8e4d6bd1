import type { Warehouse } from '@sneakpipe/core';
import { DuckDbSettingsSchema, DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { WAREHOUSE_LOCATION, WAREHOUSE_TABLES } from '@sneakpipe/sneakers';
import { connectorSettings, type SettingsValues } from './config/settings.js';
import { snowflakeConnection, snowflakeSettings } from './config/snowflake-settings.js';

/** The DuckDB connector's settings (`duckdbPath`, `duckdbMemoryLimit`), from its schema. */
const duckdb = connectorSettings(DuckDbSettingsSchema, 'duckdb');

/** The embedded DuckDB warehouse file. */
export const duckdbSettings = duckdb.settings;

/** Where the warehouse is: Snowflake when `SNOWFLAKE_ACCOUNT` is set, else the embedded DuckDB file. */
export const warehouseSettings = { ...duckdbSettings, ...snowflakeSettings };

/** A warehouse that can say where it is, without secrets, for logs. */
export type DescribedWarehouse = Warehouse & { describe(): string };

/**
 * Opens the configured warehouse and creates the shop's tables
 * (`WAREHOUSE_TABLES`) where the shop keeps them: a DuckDB file's are under
 * `RETAIL_LAB.STG` (`WAREHOUSE_LOCATION`, as in every file the CLI wrote);
 * Snowflake's where its settings say, by default the same.
 */
export async function openWarehouse(settings: SettingsValues<typeof warehouseSettings>): Promise<DescribedWarehouse> {
  const snowflake = snowflakeConnection(settings);
  if (snowflake) {
    // Loaded only when used: the Snowflake driver is large and slow to import.
    const { SnowflakeWarehouse, authenticationOf } = await import('@sneakpipe/connectors/snowflake');
    const warehouse = await SnowflakeWarehouse.open(snowflake, { tables: WAREHOUSE_TABLES });
    const where = `snowflake:${snowflake.account}/${snowflake.database}.${snowflake.schema}`;
    return Object.assign(warehouse, { describe: () => `${where} (${authenticationOf(snowflake)} authentication)` });
  }
  const duck = await DuckDbWarehouse.open({ ...duckdb.check(settings), ...WAREHOUSE_LOCATION, tables: WAREHOUSE_TABLES });
  return Object.assign(duck, { describe: () => `duckdb:${settings.duckdbPath}` });
}
