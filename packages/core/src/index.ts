/**
 * `@sneakpipe/core`: a generic toolkit for streaming ETL on RxJS — the
 * contracts that connectors implement (source, sink, warehouse, codec, tables,
 * positions), the pipeline operators, flow control, an in-process broker,
 * metric primitives, the error model and settings metadata. It knows no business domain: applications build on it.
 * No network I/O.
 *
 * @packageDocumentation
 */
export { SneakpipeError, type ErrorCode, type SneakpipeErrorOptions } from './errors/sneakpipe-error.js';
export { ConfigError } from './errors/config-error.js';
export { TimeoutError } from './errors/timeout-error.js';
export { isRetriable, findSneakpipeError } from './errors/is-retriable.js';
export { TRANSIENT_NETWORK_CODES, errorChain, transientNetworkCode } from './errors/network-codes.js';
export { parseConfig } from './errors/parse-config.js';
export * from './contracts/codec.js';
export * from './contracts/records.js';
export * from './contracts/sink.js';
export * from './contracts/tables.js';
export * from './contracts/warehouse.js';
export * from './contracts/warehouse-values.js';
export * from './contracts/warehouse-location.js';
export * from './positions/positioned-sink.js';
export * from './contracts/offsets.js';
export * from './codec/json-codec.js';
export * from './operators/serialize.js';
export * from './operators/deserialize.js';
export * from './operators/batch.js';
export * from './operators/backoff.js';
export * from './operators/load.js';
export * from './operators/instrument.js';
export * from './flow/flow-control.js';
export * from './metrics/rate-window.js';
export * from './metrics/owned-partition-lag.js';
export * from './broker/murmur2.js';
export * from './broker/in-memory-broker.js';
export * from './contracts/fan-out.js';
export * from './pipelines/load-pipeline.js';
export * from './settings/index.js';
