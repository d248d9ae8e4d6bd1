/**
 * Where a warehouse's tables live when its settings name no place: the
 * original system's `RETAIL_LAB.STG`. Every connector defaults to the same
 * names, so qualified table names read alike on DuckDB and Snowflake.
 */

/** Default database (DuckDB: the catalog the file is attached as). */
export const DEFAULT_DATABASE = 'RETAIL_LAB';
/** Default schema of the tables. */
export const DEFAULT_SCHEMA = 'STG';
