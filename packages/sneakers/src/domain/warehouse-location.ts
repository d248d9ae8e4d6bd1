/**
 * Where the shop's tables live: the original system's `RETAIL_LAB.STG`. The
 * connectors default to neutral places (DuckDB: the file's own catalog and
 * `main`; Snowflake: no default database), so the shop passes this to every
 * warehouse it opens — the CLI does — and so should a program that shares a
 * warehouse with the CLI:
 *
 * @example
 * ```ts
 * import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
 * import { WAREHOUSE_LOCATION, WAREHOUSE_TABLES } from '@sneakpipe/sneakers';
 *
 * const warehouse = await DuckDbWarehouse.open({ path: './data/warehouse.duckdb', ...WAREHOUSE_LOCATION }, { tables: WAREHOUSE_TABLES });
 * ```
 *
 * DuckDB stores no catalog name in the file: `database` is the name the file
 * is attached as, `schema` the schema inside it. On Snowflake they are the
 * database and schema (the CLI's `SNOWFLAKE_DATABASE` and `SNOWFLAKE_SCHEMA`
 * default to them).
 */
export const WAREHOUSE_LOCATION = { database: 'RETAIL_LAB', schema: 'STG' } as const;
