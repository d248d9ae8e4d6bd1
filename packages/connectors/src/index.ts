/**
 * `@sneakpipe/connectors`: sources and warehouses behind the contracts of
 * `@sneakpipe/core`, one folder each. Import a connector by its subpath
 * (`@sneakpipe/connectors/duckdb`) to load only what you use.
 *
 * @packageDocumentation
 */
export * from './duckdb/index.js';
export * from './kafka/index.js';
export * from './snowflake/index.js';
