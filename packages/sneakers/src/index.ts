/**
 * `@sneakpipe/sneakers`: the sneaker shop built on `@sneakpipe/core` — the
 * order event and its codec, the seeded generator, the warehouse tables and
 * rows, the original system's metric names, dead-letter replay, the producer
 * and consumer pipelines, and report building. Sources, sinks and warehouses
 * come in through core's contracts, so it loads no driver itself.
 *
 * @packageDocumentation
 * @module @sneakpipe/sneakers
 */
export { DEFAULT_CATALOG, SNEAKER_BRANDS, type Catalog, type CatalogBrand, type CatalogModel, type SizeWeight } from './domain/catalog.js';
export { EVENT_TYPES, isValidLifecycle, type EventType } from './domain/lifecycle.js';
export { OrderEventSchema, eventTimeMs, orderEventJsonSchema, type OrderEvent, type ReceivedOrderEvent } from './domain/order-event.js';
export { QUALITY_FLAGS, createOrderEventQualityCheck, orderEventQualityFlags, type QualityFlag } from './domain/order-event-quality.js';
export {
  STREAMING_ORDERS,
  DEAD_LETTERS,
  DEAD_LETTER_REPLAYS,
  CUSTOMERS,
  INVENTORY,
  ORDERS,
  WAREHOUSE_TABLES,
} from './domain/warehouse-tables.js';
export { WAREHOUSE_LOCATION } from './domain/warehouse-location.js';
export { orderEventTables, derivedEventId, deadLetterId } from './domain/warehouse-rows.js';
export { orderEventSink, type OrderEventSinkOptions } from './domain/order-event-sink.js';
export { createCustomerPool, type Customer } from './generator/customers.js';
export { OrderEventGenerator, type OrderGeneratorOptions } from './generator/order-event-generator.js';
export {
  customerRows,
  inventoryRows,
  orderHistoryRows,
  type InventoryOptions,
  type OrderHistoryOptions,
} from './generator/reference-data.js';
export { orderEventCodec } from './codec/order-event-codec.js';
export { generate, type GenerateOptions } from './operators/generate.js';
export { ProducerMetrics, type MetricsOptions } from './metrics/producer-metrics.js';
export { ConsumerMetrics, deadLetterCategory, type ConsumerMetricsOptions } from './metrics/consumer-metrics.js';
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
  DEMO_BATCH_COUNT,
  runEmbeddedPipeline,
  type EmbeddedDemoOptions,
  type EmbeddedDemoSummary,
  type EmbeddedPipelineSummary,
} from './pipelines/embedded-demo.js';
export { topBrandsByRevenue, type BrandRevenue } from './queries.js';
export {
  buildDailyReport,
  dailyWindow,
  buildWeeklyReport,
  weeklyWindow,
  DailyReportSchema,
  WeeklyReportSchema,
  KpisSchema,
  reportPeriod,
  type DailyReport,
  type WeeklyReport,
  type Kpis,
} from './reports/index.js';
