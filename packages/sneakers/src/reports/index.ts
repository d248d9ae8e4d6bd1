export { buildDailyReport, dailyWindow } from './daily.js';
export { buildWeeklyReport, weeklyWindow } from './weekly.js';
export { DailyReportSchema, WeeklyReportSchema, KpisSchema, type DailyReport, type WeeklyReport, type Kpis } from './schema.js';
export { zonedTime, localDate, isoWeekOf, mondayOfIsoWeek, addDays } from './time.js';
