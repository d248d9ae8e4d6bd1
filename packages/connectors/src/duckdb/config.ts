import { fields, setting, type WarehouseConnector } from '@sneakpipe/core';
import { z } from 'zod';

/**
 * The DuckDB warehouse's settings: the file, where its tables go, and how
 * much memory DuckDB may take. Each field carries its flag, environment
 * variable and help ({@link setting}); the defaults are these, once.
 *
 * Where the tables go defaults to what DuckDB itself does with a file: its
 * own catalog (named after the file) and the `main` schema, so
 * `duckdb warehouse.duckdb` then `SELECT * FROM ORDERS` finds them. An
 * application that wants other names (a Snowflake layout, say) passes them.
 */
export const DuckDbSettingsSchema = z.object({
  /** The database file, created with its folder if absent; `:memory:` for a throwaway one. */
  path: setting(fields.nonEmpty('a file path').default('./data/warehouse.duckdb'), {
    flag: 'warehouse',
    value: 'path',
    env: 'SNEAKPIPE_WAREHOUSE',
    description: 'DuckDB warehouse file (used when no Snowflake account is set)',
  }),
  /**
   * The catalog name the file is attached as, when queries should read
   * `DATABASE.SCHEMA.TABLE` under a name of their own (e.g. the same as on
   * Snowflake). Unset: the file is opened as DuckDB opens it, its catalog
   * named after the file (`warehouse` for `warehouse.duckdb`, `memory` for
   * `:memory:`). The name is not stored in the file: any name opens it.
   */
  database: fields.nonEmpty('a catalog name').optional(),
  /** Schema of the tables, created if absent. Default `main`, DuckDB's own. */
  schema: fields.nonEmpty('a schema name').default('main'),
  /**
   * DuckDB's memory limit, e.g. `1GB`. DuckDB otherwise takes up to 80% of
   * the machine's memory for its caches, which a pipeline sharing the host does
   * not want.
   */
  memoryLimit: setting(
    fields
      .nonEmpty('a memory size such as 256MB or 1GB')
      .regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'expected a memory size such as 256MB or 1GB')
      .default('256MB'),
    {
      flag: 'duckdb-memory-limit',
      value: 'size',
      env: 'SNEAKPIPE_DUCKDB_MEMORY_LIMIT',
      description: 'most memory DuckDB may use for its caches',
    },
  ),
});

/** The DuckDB settings as code passes them (every one is optional). */
export type DuckDbSettings = z.input<typeof DuckDbSettingsSchema>;

/** The DuckDB connector: its name, its config schema, and how it opens (the driver is loaded then). */
export const duckdbConnector: WarehouseConnector<typeof DuckDbSettingsSchema> = {
  name: 'duckdb',
  config: DuckDbSettingsSchema,
  async open(config, { tables }) {
    const { DuckDbWarehouse } = await import('./duckdb-warehouse.js');
    return DuckDbWarehouse.open(config, { tables });
  },
  describe: (config) => `duckdb:${config.path ?? DuckDbSettingsSchema.shape.path.parse(undefined)}`,
};
