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
// For a DuckDB loader of your own: rows into vectors' memory, then into an appender by data chunks.
export { encodeColumns, encodedBuffers, type EncodedColumns, type EncodedColumn } from './column-encoding.js';
export { ColumnChunkWriter, type ChunkColumn } from './column-chunks.js';
