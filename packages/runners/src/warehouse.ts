import type { Warehouse } from '@sneakpipe/core';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { WAREHOUSE_TABLES } from '@sneakpipe/sneakers';
import { nonEmpty } from './config/schemas.js';
import type { Setting, SettingsValues } from './config/settings.js';
import { snowflakeConnection, snowflakeSettings } from './config/snowflake-settings.js';

/** The embedded DuckDB warehouse file. */
export const duckdbSettings = {
  warehouse: {
    flag: 'warehouse',
    value: 'path',
    env: 'SNEAKPIPE_WAREHOUSE',
    schema: nonEmpty('a file path'),
    default: './data/warehouse.duckdb',
    description: 'DuckDB warehouse file (used when no Snowflake account is set)',
  },
} satisfies Record<string, Setting>;

/** Where the warehouse is: Snowflake when `SNOWFLAKE_ACCOUNT` is set, else the embedded DuckDB file. */
export const warehouseSettings = { ...duckdbSettings, ...snowflakeSettings } satisfies Record<string, Setting>;

/** A warehouse that can say where it is, without secrets, for logs. */
export type DescribedWarehouse = Warehouse & { describe(): string };

/** Opens the configured warehouse and creates the shop's tables (`WAREHOUSE_TABLES`). */
export async function openWarehouse(settings: SettingsValues<typeof warehouseSettings>): Promise<DescribedWarehouse> {
  const snowflake = snowflakeConnection(settings);
  if (snowflake) {
    // Loaded only when used: the Snowflake driver is large and slow to import.
    const { SnowflakeWarehouse, authenticationOf } = await import('@sneakpipe/connectors/snowflake');
    const warehouse = await SnowflakeWarehouse.open(snowflake, { tables: WAREHOUSE_TABLES });
    const where = `snowflake:${settings.account}/${settings.database}.${settings.schema}`;
    return Object.assign(warehouse, { describe: () => `${where} (${authenticationOf(snowflake)} authentication)` });
  }
  const duck = await DuckDbWarehouse.open({ path: settings.warehouse, tables: WAREHOUSE_TABLES });
  return Object.assign(duck, { describe: () => `duckdb:${settings.warehouse}` });
}
