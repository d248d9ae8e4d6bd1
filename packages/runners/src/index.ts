/**
 * `@sneakpipe/runners`: the `sneakpipe` CLI and the pipelines it assembles,
 * usable as functions from code.
 *
 * @packageDocumentation
 */
export {
  runEmbeddedDemo,
  runEmbeddedPipeline,
  type EmbeddedDemoOptions,
  type EmbeddedDemoSummary,
  type EmbeddedPipelineSummary,
} from './pipelines/embedded-demo.js';
export { topBrandsByRevenueSql, topBrandsByRevenue, countRows, type BrandRevenue } from './queries.js';
export {
  resolveSettings,
  addSettings,
  connectorSettings,
  SettingsError,
  type Settings,
  type SettingsValues,
  type ConnectorSettings,
  type FlatSettings,
} from './config/settings.js';
export { createLogger } from './logger.js';
export {
  DailyReportSchema,
  WeeklyReportSchema,
  KpisSchema,
  buildDailyReport,
  buildWeeklyReport,
  runReport,
  type DailyReport,
  type WeeklyReport,
  type Kpis,
} from './reports/index.js';
export {
  ReportScheduler,
  MAX_CATCH_UP,
  fileState,
  type ScheduledJob,
  type SchedulerClock,
  type SchedulerState,
} from './reports/scheduler.js';
