import type { Warehouse } from '@sneakpipe/core';
import { reportHeader } from './kpis.js';
import { hourlyByBrand, topBy, windowTotals, type Window } from './report-queries.js';
import type { DailyReport } from './schema.js';
import { addDays, localParts, zonedTime } from './time.js';

/** The daily report's window: the 24 h ending at 08:00 local time on `date` (`YYYY-MM-DD`), as epoch milliseconds. */
export function dailyWindow(date: string, timeZone: string): Window {
  return { start: zonedTime(addDays(date, -1), 8, timeZone), end: zonedTime(date, 8, timeZone) };
}

/** Builds the daily report (the original system's `daily_sneaker_report` DAG). */
export async function buildDailyReport(w: Warehouse, date: string, timeZone: string, now = Date.now()): Promise<DailyReport> {
  const window = dailyWindow(date, timeZone);
  const previousWindow = dailyWindow(addDays(date, -1), timeZone);
  const [totals, previousTotals, brands, models, sizes, cities, hours] = await Promise.all([
    windowTotals(w, window),
    windowTotals(w, previousWindow),
    topBy(w, 'brand', window, 5),
    topBy(w, 'model', window, 5),
    topBy(w, 'size', window, 5),
    topBy(w, 'city', window, 5),
    hourlyByBrand(w, window),
  ]);
  const hourly = Array.from({ length: 24 }, (_, hour) => ({ hour, orders: 0, revenue: 0 }));
  for (const bucket of hours) {
    const slot = hourly[localParts(bucket.hour, timeZone).hour]!;
    slot.orders += bucket.orders;
    slot.revenue = Math.round((slot.revenue + bucket.revenue) * 100) / 100;
  }
  return {
    kind: 'daily',
    date,
    ...reportHeader(window, timeZone, now, totals, previousTotals),
    top: { brands, models, sizes, cities },
    hourly,
  };
}
