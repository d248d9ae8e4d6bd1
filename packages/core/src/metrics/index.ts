/**
 * `@sneakpipe/core/metrics`: Prometheus metrics for your pipelines, with
 * prom-client (an optional peer of `@sneakpipe/core`: install it to use this
 * entry point; the main entry never imports it).
 *
 * @module @sneakpipe/core/metrics
 */
export { PipelineMetrics, type PipelineMetricsOptions } from './pipeline-metrics.js';
export { ownedPartitionLag, type PartitionLagFigure } from './owned-partition-lag.js';
export { RateWindow } from './rate-window.js';
