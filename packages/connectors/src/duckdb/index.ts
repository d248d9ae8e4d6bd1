/**
 * The embedded DuckDB warehouse: the default, zero-infrastructure sink.
 *
 * @packageDocumentation
 * @module @sneakpipe/connectors/duckdb
 */
export { DuckDbWarehouse, type DuckDbWarehouseOptions } from './duckdb-warehouse.js';
export { DuckDbSettingsSchema, duckdbConnector, type DuckDbSettings } from './config.js';
export { createTableSql, quoteIdentifier } from './ddl.js';
export { duckdbError } from './errors.js';
