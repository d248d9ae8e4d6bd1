/**
 * `@sneakpipe/runners`: the `sneakpipe` CLI — settings, assembly of the
 * `@sneakpipe/sneakers` pipelines with the `@sneakpipe/connectors`, logs,
 * metrics endpoints, report files and their schedule. The pipelines and
 * report building themselves are `@sneakpipe/sneakers`.
 *
 * @packageDocumentation
 * @module @sneakpipe/runners
 */
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
export { runReport, defaultPeriod, type ReportKind, type WrittenReport } from './reports/run-report.js';
export { dailyHtml, weeklyHtml } from './reports/html.js';
export {
  ReportScheduler,
  MAX_CATCH_UP,
  fileState,
  type ScheduledJob,
  type SchedulerClock,
  type SchedulerState,
} from './reports/scheduler.js';
