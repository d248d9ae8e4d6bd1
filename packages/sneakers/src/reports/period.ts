import { addDays, isoWeekOf, localDate } from './time.js';

/**
 * The period whose report is due at `at`, in the shop's time zone: for
 * `daily`, that local date (its window, {@link dailyWindow}, ends at 08:00
 * that day); for `weekly`, the ISO week (`YYYY-Www`) of the date a week
 * earlier, the last one that has ended. What the original system's DAGs
 * reported on when they ran, and the default of `sneakpipe report`.
 *
 * @example
 * ```ts
 * import type { Warehouse } from '@sneakpipe/core';
 * import { buildDailyReport, buildWeeklyReport, reportPeriod } from '@sneakpipe/sneakers';
 *
 * declare const warehouse: Warehouse; // the one the consumer loads
 * const timeZone = 'Europe/Paris';
 * const daily = await buildDailyReport(warehouse, reportPeriod('daily', Date.now(), timeZone), timeZone);
 * const weekly = await buildWeeklyReport(warehouse, reportPeriod('weekly', Date.now(), timeZone), timeZone);
 * console.log(`${daily.kpis.orders} orders in the last day, ${weekly.kpis.orders} in the last week`);
 * ```
 */
export function reportPeriod(kind: 'daily' | 'weekly', at: number, timeZone: string): string {
  const day = localDate(at, timeZone);
  return kind === 'daily' ? day : isoWeekOf(addDays(day, -7));
}
