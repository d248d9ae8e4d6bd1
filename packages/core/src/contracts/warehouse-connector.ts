import type { z } from 'zod';
import type { ConnectorDescriptor } from '../settings/setting.js';
import type { TableSpec } from './tables.js';
import type { Warehouse } from './warehouse.js';

/** What a warehouse is opened with besides its settings. */
export interface WarehouseOpenOptions {
  /** The application's tables, created if absent (the warehouse adds `LOAD_POSITIONS` itself). */
  readonly tables: readonly TableSpec[];
}

/**
 * A warehouse connector, the one shape every warehouse has: its name, its
 * config schema (the single source of its settings, their docs and their
 * validation) and how it opens. `open` validates the config with the schema
 * (a bad setting is a `ConfigError` naming it), loads the driver only then,
 * connects and creates the tables. Connectors are found by name
 * (`openWarehouse(name, config, options)` of `@sneakpipe/connectors/settings`).
 */
export interface WarehouseConnector<C extends z.ZodType = z.ZodType> extends ConnectorDescriptor {
  readonly config: C & z.ZodObject;
  open(config: z.input<C>, options: WarehouseOpenOptions): Promise<Warehouse>;
  /** Where the warehouse is, for logs, without secrets: `duckdb:./data/warehouse.duckdb`. */
  describe(config: z.input<C>): string;
}
