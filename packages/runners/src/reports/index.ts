export { buildDailyReport, dailyWindow } from './daily.js';
export { buildWeeklyReport, weeklyWindow } from './weekly.js';
export { dailyHtml, weeklyHtml } from './html.js';
export { runReport, defaultPeriod, type ReportKind, type WrittenReport } from './run-report.js';
export { DailyReportSchema, WeeklyReportSchema, KpisSchema, type DailyReport, type WeeklyReport, type Kpis } from './schema.js';
export * as reportQueries from './report-queries.js';
export { zonedTime, localDate, isoWeekOf, mondayOfIsoWeek } from './time.js';
