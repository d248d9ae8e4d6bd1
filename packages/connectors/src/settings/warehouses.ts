import { ConfigError, type Warehouse, type WarehouseConnector, type WarehouseOpenOptions } from '@sneakpipe/core';
import { duckdbConnector } from '../duckdb/config.js';
import { snowflakeConnector } from '../snowflake/config.js';

/**
 * Every warehouse connector, found by name. A new warehouse is a folder of
 * its own (its config schema, its `Warehouse`, its connector) and one line
 * here; the contract suites run over this list.
 */
export const WAREHOUSE_CONNECTORS: readonly WarehouseConnector[] = [duckdbConnector, snowflakeConnector];

/** The warehouse connector called `name`; a `ConfigError` listing the others when there is none. */
export function warehouseConnector(name: string): WarehouseConnector {
  const found = WAREHOUSE_CONNECTORS.find((c) => c.name === name);
  if (!found)
    throw new ConfigError(
      `unknown warehouse ${JSON.stringify(name)}: expected one of ${WAREHOUSE_CONNECTORS.map((c) => c.name).join(', ')}`,
    );
  return found;
}

/**
 * Opens the warehouse connector `name` with its config (validated by its
 * schema: a bad setting is a `ConfigError` naming it) and the application's tables.
 *
 * @example
 * ```ts
 * import { column, defineTable } from '@sneakpipe/core';
 * import { openWarehouse } from '@sneakpipe/connectors/settings';
 *
 * const EVENTS = defineTable({ name: 'EVENTS', description: 'Events.', columns: [column('ID', 'text')] });
 * const warehouse = await openWarehouse('duckdb', { path: 'events.duckdb' }, { tables: [EVENTS] });
 * await warehouse.close();
 * ```
 */
export function openWarehouse(name: string, config: unknown, options: WarehouseOpenOptions): Promise<Warehouse> {
  return warehouseConnector(name).open(config as never, options);
}
