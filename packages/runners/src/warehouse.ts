import { SCHEMA_CHANGES, type Warehouse, type WarehouseConnector } from '@sneakpipe/core';
import { DuckDbSettingsSchema, duckdbConnector, snowflakeConnector } from '@sneakpipe/connectors/settings';
import { WAREHOUSE_LOCATION, WAREHOUSE_TABLES } from '@sneakpipe/sneakers';
import { connectorSettings, type SettingsValues } from './config/settings.js';
import { snowflakeConnection, snowflakeSettings } from './config/snowflake-settings.js';

/** The DuckDB connector's settings (`duckdbPath`, `duckdbMemoryLimit`), from its schema. */
const duckdb = connectorSettings(DuckDbSettingsSchema, 'duckdb');

/** The embedded DuckDB warehouse file. */
export const duckdbSettings = duckdb.settings;

/** Where the warehouse is: Snowflake when `SNOWFLAKE_ACCOUNT` is set, else the embedded DuckDB file. */
export const warehouseSettings = { ...duckdbSettings, ...snowflakeSettings };
type Values = SettingsValues<typeof warehouseSettings>;

/** A warehouse the CLI can load into: its connector, and its config from the settings (`undefined` when they do not choose it). */
interface WarehouseChoice {
  readonly connector: WarehouseConnector;
  /** A file only one process opens at a time (operator commands then go through the consumer that holds it). */
  readonly embedded: boolean;
  configOf(values: Values): object | undefined;
}

/**
 * The warehouses, in order of preference: the first whose settings are given
 * is used. The shop's tables live where the original system kept them
 * (`RETAIL_LAB.STG`, `WAREHOUSE_LOCATION`): in a DuckDB file as in every file
 * the CLI wrote, on Snowflake by default (its settings may say otherwise).
 */
const WAREHOUSES: readonly WarehouseChoice[] = [
  { connector: snowflakeConnector, embedded: false, configOf: snowflakeConnection },
  { connector: duckdbConnector, embedded: true, configOf: (values) => ({ ...duckdb.check(values), ...WAREHOUSE_LOCATION }) },
];

/** The configured warehouse, its settings checked (a bad one stops the process with one line naming it). */
export function chosenWarehouse(values: Values): WarehouseChoice & { readonly config: object } {
  for (const choice of WAREHOUSES) {
    const config = choice.configOf(values);
    if (config) return { ...choice, config };
  }
  throw new Error('no warehouse configured'); // unreachable: the embedded file needs no setting
}

/** A warehouse that can say where it is, without secrets, for logs. */
export type DescribedWarehouse = Warehouse & { describe(): string };

/**
 * Opens the configured warehouse and creates the shop's tables
 * (`WAREHOUSE_TABLES`), and `SCHEMA_CHANGES` when it is to evolve them
 * (`consume --schema-evolution`): the other commands create nothing more, so
 * a role that may not create tables runs them as before.
 */
export async function openWarehouse(values: Values, options: { schemaEvolution?: boolean } = {}): Promise<DescribedWarehouse> {
  const { connector, config } = chosenWarehouse(values);
  const tables = options.schemaEvolution ? [...WAREHOUSE_TABLES, SCHEMA_CHANGES] : WAREHOUSE_TABLES;
  const warehouse = await connector.open(config, { tables });
  return Object.assign(warehouse, { describe: () => connector.describe(config) });
}
