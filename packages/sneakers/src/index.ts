/**
 * `@sneakpipe/sneakers`: the sneaker shop built on `@sneakpipe/core` — the
 * order event and its codec, the seeded generator, the warehouse tables and
 * rows, the original system's metric names, dead-letter replay, the producer
 * and consumer pipelines, and report building. Sources, sinks and warehouses
 * come in through core's contracts, so it loads no driver itself.
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
export * from './codec/order-event-codec.js';
export * from './operators/generate.js';
export * from './metrics/producer-metrics.js';
export * from './metrics/consumer-metrics.js';
export {
  countDeadLetters,
  getDeadLetter,
  listDeadLetters,
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
export { runConsumer, type ConsumerOptions, type ConsumerSummary } from './pipelines/consume.js';
export { runProducer, type ProducerOptions } from './pipelines/produce.js';
export {
  runEmbeddedDemo,
  runEmbeddedPipeline,
  type EmbeddedDemoOptions,
  type EmbeddedDemoSummary,
  type EmbeddedPipelineSummary,
} from './pipelines/embedded-demo.js';
export { topBrandsByRevenueSql, topBrandsByRevenue, countRows, type BrandRevenue } from './queries.js';
export * from './reports/index.js';
