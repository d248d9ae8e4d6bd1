/**
 * The embedded DuckDB warehouse: the default, zero-infrastructure sink.
 *
 * @packageDocumentation
 */
export { DuckDbWarehouse, type DuckDbWarehouseOptions } from './duckdb-warehouse.js';
export { createTableSql, quoteIdentifier } from './ddl.js';
export { duckdbError } from './errors.js';
