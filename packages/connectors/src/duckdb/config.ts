import { DEFAULT_DATABASE, DEFAULT_SCHEMA, fields, setting, type ConnectorDescriptor } from '@sneakpipe/core';
import { z } from 'zod';

/**
 * The DuckDB warehouse's settings: the file, and how much memory DuckDB may
 * take. Each field carries its flag, environment variable and help
 * ({@link setting}); the defaults are these, once.
 */
export const DuckDbSettingsSchema = z.object({
  /** The database file, created with its folder if absent; `:memory:` for a throwaway one. */
  path: setting(fields.nonEmpty('a file path').default('./data/warehouse.duckdb'), {
    flag: 'warehouse',
    value: 'path',
    env: 'SNEAKPIPE_WAREHOUSE',
    description: 'DuckDB warehouse file (used when no Snowflake account is set)',
  }),
  /** Catalog name the file is attached as, so queries read `RETAIL_LAB.STG.…` as on Snowflake. */
  database: z.string().min(1).default(DEFAULT_DATABASE),
  /** Schema of the tables. */
  schema: z.string().min(1).default(DEFAULT_SCHEMA),
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

/** The DuckDB settings as code passes them (every one has a default). */
export type DuckDbSettings = z.input<typeof DuckDbSettingsSchema>;

/** The DuckDB connector: its name and its config schema. */
export const duckdbConnector = { name: 'duckdb', config: DuckDbSettingsSchema } as const satisfies ConnectorDescriptor;
