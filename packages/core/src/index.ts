/**
 * `@sneakpipe/core`: the sneaker order domain, the pipeline operators, the
 * contracts that connectors implement, and an in-process broker. No network I/O.
 *
 * @packageDocumentation
 */
export * from './domain/catalog.js';
export * from './domain/lifecycle.js';
export * from './domain/order-event.js';
export * from './domain/order-event-quality.js';
export * from './domain/warehouse-tables.js';
export * from './domain/warehouse-rows.js';
export * from './domain/order-event-sink.js';
export * from './generator/random.js';
export * from './generator/customers.js';
export * from './generator/seasonality.js';
export * from './generator/order-event-generator.js';
export {
  customerRows,
  inventoryRows,
  orderHistoryRows,
  skuOf,
  type InventoryOptions,
  type OrderHistoryOptions,
} from './generator/reference-data.js';
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
export * from './positions/positioned-sink.js';
export * from './contracts/offsets.js';
export * from './codec/json-codec.js';
export * from './operators/generate.js';
export * from './operators/serialize.js';
export * from './operators/deserialize.js';
export * from './operators/batch.js';
export * from './operators/backoff.js';
export * from './operators/load.js';
export * from './operators/instrument.js';
export * from './flow/flow-control.js';
export * from './metrics/rate-window.js';
export * from './metrics/producer-metrics.js';
export * from './metrics/consumer-metrics.js';
export * from './metrics/owned-partition-lag.js';
export * from './broker/murmur2.js';
export * from './broker/in-memory-broker.js';
export * from './contracts/fan-out.js';
export * from './pipelines/load-pipeline.js';
export {
  countDeadLetters,
  getDeadLetter,
  listDeadLetters,
  timestampParam,
  toMs,
  type DeadLetterCounts,
  type DeadLetterDetail,
  type DeadLetterFilter,
  type DeadLetterState,
  type DeadLetterSummary,
} from './dead-letters/dead-letter-store.js';
export {
  EMPTY_SUMMARY,
  REPLAY_LOCK,
  addSummaries,
  replayBatch,
  replayDeadLetters,
  type ReplayCandidate,
  type ReplayOptions,
  type ReplaySummary,
} from './dead-letters/replay-dead-letters.js';
export * from './settings/index.js';
