export { buildDailyReport, dailyWindow } from './daily.js';
export { buildWeeklyReport, weeklyWindow } from './weekly.js';
export { DailyReportSchema, WeeklyReportSchema, KpisSchema, type DailyReport, type WeeklyReport, type Kpis } from './schema.js';
export { reportPeriod } from './period.js';
