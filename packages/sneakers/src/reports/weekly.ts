import type { Warehouse } from '@sneakpipe/core';
import { reportHeader } from './kpis.js';
import { fastestSellers, hourlyByBrand, repeatCustomers, topBy, windowTotals, type HourBucket, type Window } from './report-queries.js';
import type { WeeklyReport } from './schema.js';
import { addDays, localDate, localParts, mondayOfIsoWeek, zonedTime } from './time.js';

const WEEK_MS = 7 * 86_400_000;
/** Weeks of history that form the baseline for anomalies. */
const BASELINE_WEEKS = 4;
/** A brand whose revenue moved more than this, week over week, is flagged. */
const TREND_THRESHOLD = 0.1;

/**
 * The weekly report's window: Monday 09:00 of the ISO week (`YYYY-Www`) to the
 * next Monday 09:00, local time, as epoch milliseconds. Throws a `RangeError`
 * for a string that names no ISO week.
 */
export function weeklyWindow(week: string, timeZone: string): Window {
  const monday = mondayOfIsoWeek(week);
  return { start: zonedTime(monday, 9, timeZone), end: zonedTime(addDays(monday, 7), 9, timeZone) };
}

/** Builds the weekly report (the original system's `weekly_sneaker_trends` DAG). */
export async function buildWeeklyReport(w: Warehouse, week: string, timeZone: string, now = Date.now()): Promise<WeeklyReport> {
  const window = weeklyWindow(week, timeZone);
  const previousWindow = { start: window.start - WEEK_MS, end: window.end - WEEK_MS };
  const history = { start: window.start - BASELINE_WEEKS * WEEK_MS, end: window.end };
  const [totals, previousTotals, cities, sizes, repeat, sellers, hours, brandsNow, brandsBefore] = await Promise.all([
    windowTotals(w, window),
    windowTotals(w, previousWindow),
    topBy(w, 'city', window, 10),
    topBy(w, 'size', window, 30),
    repeatCustomers(w, window),
    fastestSellers(w, window, 10),
    hourlyByBrand(w, history),
    topBy(w, 'brand', window, 100),
    topBy(w, 'brand', previousWindow, 100),
  ]);
  const thisWeek = hours.filter((h) => h.hour >= window.start && h.hour < window.end);
  return {
    kind: 'weekly',
    week,
    ...reportHeader(window, timeZone, now, totals, previousTotals),
    dailyRevenueByBrand: dailyRevenueByBrand(thisWeek, timeZone),
    brandGrowth: brandGrowth(brandsNow, brandsBefore),
    revenueByCity: cities,
    heatmap: heatmap(thisWeek, timeZone),
    sizes: [...sizes].sort((a, b) => Number(a.name) - Number(b.name)),
    repeatCustomerRate: repeat.customers > 0 ? repeat.repeat / repeat.customers : null,
    stockCover: sellers.map((s) => ({ ...s, daysOfCover: s.unitsSold > 0 ? Math.round((s.stock / (s.unitsSold / 7)) * 10) / 10 : null })),
    anomalies: anomalies(hours, window, timeZone),
  };
}

function dailyRevenueByBrand(hours: readonly HourBucket[], timeZone: string) {
  const sums = new Map<string, number>();
  for (const h of hours) {
    const key = `${localDate(h.hour, timeZone)}|${h.brand}`;
    sums.set(key, (sums.get(key) ?? 0) + h.revenue);
  }
  return [...sums.entries()]
    .map(([key, revenue]) => {
      const [date, brand] = key.split('|') as [string, string];
      return { date, brand, revenue: Math.round(revenue * 100) / 100 };
    })
    .sort((a, b) => a.date.localeCompare(b.date) || a.brand.localeCompare(b.brand));
}

function brandGrowth(now: readonly { name: string; revenue: number }[], before: readonly { name: string; revenue: number }[]) {
  const previous = new Map(before.map((b) => [b.name, b.revenue]));
  const names = new Set([...now.map((b) => b.name), ...before.map((b) => b.name)]);
  return [...names]
    .map((brand) => {
      const revenue = now.find((b) => b.name === brand)?.revenue ?? 0;
      const previousRevenue = previous.get(brand) ?? 0;
      const growth = previousRevenue > 0 ? (revenue - previousRevenue) / previousRevenue : null;
      const trend = growth === null ? 'stable' : growth > TREND_THRESHOLD ? 'growing' : growth < -TREND_THRESHOLD ? 'declining' : 'stable';
      return { brand, revenue, previousRevenue, growth, trend } as const;
    })
    .sort((a, b) => b.revenue - a.revenue);
}

function heatmap(hours: readonly HourBucket[], timeZone: string) {
  const cells = new Map<string, number>();
  for (const h of hours) {
    const p = localParts(h.hour, timeZone);
    const key = `${(p.weekday + 6) % 7}|${p.hour}`;
    cells.set(key, (cells.get(key) ?? 0) + h.orders);
  }
  const out: { weekday: number; hour: number; orders: number }[] = [];
  for (let weekday = 0; weekday < 7; weekday++) {
    for (let hour = 0; hour < 24; hour++) out.push({ weekday, hour, orders: cells.get(`${weekday}|${hour}`) ?? 0 });
  }
  return out;
}

/**
 * Days (and hours) of the week whose orders deviate strongly from the same
 * weekday (and hour) in the previous weeks: more than 3 standard deviations
 * and 30% away from the baseline mean. Needs two weeks of baseline.
 */
function anomalies(hours: readonly HourBucket[], window: Window, timeZone: string) {
  const byDay = new Map<string, number>();
  const byHour = new Map<string, number>();
  for (const h of hours) {
    const date = localDate(h.hour, timeZone);
    const hour = localParts(h.hour, timeZone).hour;
    byDay.set(date, (byDay.get(date) ?? 0) + h.orders);
    byHour.set(`${date}|${hour}`, (byHour.get(`${date}|${hour}`) ?? 0) + h.orders);
  }
  const out: WeeklyReport['anomalies'] = [];
  const check = (date: string, hour: number | null, orders: number, baseline: number[]) => {
    if (baseline.length < 2) return;
    const mean = baseline.reduce((a, b) => a + b, 0) / baseline.length;
    // Counts vary at least as a Poisson process would: a few weeks of baseline
    // can look deceptively steady, so the spread is never taken below √mean.
    const sd = Math.max(Math.sqrt(baseline.reduce((a, b) => a + (b - mean) ** 2, 0) / (baseline.length - 1)), Math.sqrt(mean), 1);
    const deviation = orders - mean;
    if (Math.abs(deviation) > 3 * sd && Math.abs(deviation) > 0.3 * Math.max(mean, 1) && Math.abs(deviation) >= (hour === null ? 20 : 10)) {
      out.push({
        date,
        hour,
        orders,
        expected: Math.round(mean * 10) / 10,
        deviation: Math.round(deviation * 10) / 10,
        direction: deviation > 0 ? 'high' : 'low',
      });
    }
  };
  for (let day = 0; day < 7; day++) {
    const date = localDate(window.start + day * 86_400_000 + 12 * 3_600_000, timeZone);
    const earlier = Array.from({ length: BASELINE_WEEKS }, (_, k) => addDays(date, -7 * (k + 1)));
    const baseline = earlier.filter((d) => byDay.has(d)).map((d) => byDay.get(d)!);
    check(date, null, byDay.get(date) ?? 0, baseline);
    for (let hour = 0; hour < 24; hour++) {
      const hourBaseline = earlier.filter((d) => byDay.has(d)).map((d) => byHour.get(`${d}|${hour}`) ?? 0);
      check(date, hour, byHour.get(`${date}|${hour}`) ?? 0, hourBaseline);
    }
  }
  return out;
}
