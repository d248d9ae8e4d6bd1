import type { Window, WindowTotals } from './report-queries.js';
import type { Kpis } from './schema.js';

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
const cents = (x: number) => Math.round(x * 100) / 100;

/** Headline figures from window totals; rates are null when nothing was ordered. */
export function kpisOf(t: WindowTotals): Kpis {
  const aov = ratio(t.revenue, t.orders);
  return {
    orders: t.orders,
    revenue: cents(t.revenue),
    averageOrderValue: aov === null ? null : cents(aov),
    units: t.units,
    customers: t.customers,
    cancellations: t.cancellations,
    returns: t.returns,
    cancellationRate: ratio(t.cancellations, t.orders),
    returnRate: ratio(t.returns, t.orders),
    flaggedEvents: t.flagged,
  };
}

/** Relative change of each numeric KPI; null where the previous value is 0 or missing. */
export function changeOf(now: Kpis, before: Kpis): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const key of ['orders', 'revenue', 'averageOrderValue', 'units', 'customers'] as const) {
    const a = now[key];
    const b = before[key];
    out[key] = a === null || b === null || b === 0 ? null : (a - b) / b;
  }
  return out;
}

/** The part every report shares: its window, when it was made, the KPIs and their change from the previous period. */
export function reportHeader(window: Window, timeZone: string, now: number, totals: WindowTotals, previousTotals: WindowTotals) {
  const kpis = kpisOf(totals);
  const previous = kpisOf(previousTotals);
  return {
    window: { start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString(), timeZone },
    generatedAt: new Date(now).toISOString(),
    empty: kpis.orders === 0,
    kpis,
    previous,
    change: changeOf(kpis, previous),
  };
}
