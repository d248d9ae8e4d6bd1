import type { Warehouse } from '@sneakpipe/core';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { nonEmpty } from './config/schemas.js';
import type { Setting } from './config/settings.js';

/** Where the warehouse is: the embedded DuckDB file by default. */
export const warehouseSettings = {
  warehouse: {
    flag: 'warehouse',
    value: 'path',
    env: 'SNEAKPIPE_WAREHOUSE',
    schema: nonEmpty('a file path'),
    default: './data/warehouse.duckdb',
    description: 'DuckDB warehouse file',
  },
} satisfies Record<string, Setting>;

/** Opens the configured warehouse and creates its tables. */
export async function openWarehouse(settings: { warehouse: string }): Promise<Warehouse & { describe(): string }> {
  const duck = await DuckDbWarehouse.open({ path: settings.warehouse });
  return Object.assign(duck, { describe: () => `duckdb:${settings.warehouse}` });
}
