import type { DailyReport, Kpis, WeeklyReport } from '@sneakpipe/sneakers';
import { formatEuros, formatInt } from '../format.js';
import { barChart, heatmapChart, hourlyChart, lineByBrand, renderSvg } from './charts.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const signed = (x: number | null | undefined) =>
  x === null || x === undefined
    ? ''
    : `<span class="${x >= 0 ? 'up' : 'down'}">${x >= 0 ? '▲' : '▼'} ${Math.abs(x * 100).toFixed(1)}%</span>`;

const STYLE = `
  :root { color-scheme: light; }
  body { font-family: system-ui, -apple-system, Segoe UI, Roboto, sans-serif; margin: 0; padding: 16px; background: #faf7f5; color: #2e282a; }
  main { max-width: 1100px; margin: 0 auto; }
  h1 { font-size: 1.5rem; margin: 0 0 4px; } h2 { font-size: 1.1rem; margin: 24px 0 8px; }
  .muted { color: #6b6466; font-size: .9rem; }
  .kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin-top: 16px; }
  .kpi { background: #fff; border-radius: 10px; padding: 12px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  .kpi b { display: block; font-size: 1.35rem; margin: 4px 0; }
  .up { color: #2a8c4a; } .down { color: #c0392b; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(320px, 100%), 1fr)); gap: 12px; }
  p.muted { overflow-wrap: anywhere; }
  figure.chart { background: #fff; border-radius: 10px; padding: 8px; margin: 0; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  figure.chart svg { width: 100%; height: auto; display: block; }
  .table { overflow-x: auto; border-radius: 10px; }
  table { width: 100%; border-collapse: collapse; background: #fff; border-radius: 10px; overflow: hidden; font-size: .92rem; }
  th, td { padding: 6px 10px; text-align: left; border-bottom: 1px solid #eee; } td.n, th.n { text-align: right; }
  .empty { background: #fff; border-radius: 10px; padding: 32px; text-align: center; font-size: 1.2rem; margin-top: 16px; }
  .flag { border-radius: 6px; padding: 1px 6px; font-size: .8rem; } .flag.growing { background: #dff3e4; } .flag.declining { background: #fbe3e1; }
`;

function page(title: string, subtitle: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title><style>${STYLE}</style></head>
<body><main><h1>${escape(title)}</h1><p class="muted">${escape(subtitle)}</p>
${body}
</main></body></html>
`;
}

function kpiCards(k: Kpis, change: Record<string, number | null>): string {
  const card = (label: string, value: string, delta?: number | null) =>
    `<div class="kpi"><span class="muted">${label}</span><b>${value}</b>${signed(delta)}</div>`;
  return `<section class="kpis">
${card('Orders', formatInt(k.orders), change.orders)}
${card('Revenue', `${formatEuros(k.revenue)} €`, change.revenue)}
${card('Average order', k.averageOrderValue === null ? '—' : `${formatEuros(k.averageOrderValue)} €`, change.averageOrderValue)}
${card('Units', formatInt(k.units), change.units)}
${card('Customers', formatInt(k.customers), change.customers)}
${card('Cancellation rate', pct(k.cancellationRate))}
${card('Return rate', pct(k.returnRate))}
${k.flaggedEvents > 0 ? card('Flagged events', formatInt(k.flaggedEvents)) : ''}
</section>`;
}

/** A cell: text (escaped) or markup this module wrote itself. */
type Cell = string | { html: string };

function table(headers: string[], rows: Cell[][], numeric: boolean[]): string {
  const th = headers.map((h, i) => `<th${numeric[i] ? ' class="n"' : ''}>${escape(h)}</th>`).join('');
  const tr = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="n"' : ''}>${typeof c === 'string' ? escape(c) : c.html}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<div class="table"><table><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table></div>`;
}

const figure = async (name: string, spec: Parameters<typeof renderSvg>[0]) =>
  `<figure class="chart" data-chart="${name}">${await renderSvg(spec)}</figure>`;

const noData = (what: string) => `<div class="empty">No data for this period: no order was created in ${escape(what)}.</div>`;

/** The daily report as one self-contained HTML page (inline CSS and SVG; no script, no URL). */
export async function dailyHtml(r: DailyReport): Promise<string> {
  const subtitle = `${r.window.start} → ${r.window.end} (24 h ending 08:00, ${r.window.timeZone}) · generated ${r.generatedAt}`;
  if (r.empty) return page(`Daily sneaker report — ${r.date}`, subtitle, noData('these 24 hours'));
  const rank = (rows: DailyReport['top']['brands']) =>
    rows.map((x) => [x.name, formatInt(x.orders), formatInt(x.units), formatEuros(x.revenue)]);
  const body = `${kpiCards(r.kpis, r.change)}
<h2>Charts</h2><div class="grid">
${await figure('top-brands', barChart(r.top.brands, 'name', 'revenue', 'Top brands by revenue (EUR)'))}
${await figure('hourly', hourlyChart(r.hourly, 'Orders per hour'))}
</div>
<h2>Top models</h2>${table(['Model', 'Orders', 'Units', 'Revenue (EUR)'], rank(r.top.models), [false, true, true, true])}
<h2>Top sizes</h2>${table(['Size', 'Orders', 'Units', 'Revenue (EUR)'], rank(r.top.sizes), [false, true, true, true])}
<h2>Top cities</h2>${table(['City', 'Orders', 'Units', 'Revenue (EUR)'], rank(r.top.cities), [false, true, true, true])}
<p class="muted">Compared with the previous 24 hours: ${formatInt(r.previous.orders)} orders, ${formatEuros(r.previous.revenue)} € revenue.</p>`;
  return page(`Daily sneaker report — ${r.date}`, subtitle, body);
}

/** The weekly report as one self-contained HTML page. */
export async function weeklyHtml(r: WeeklyReport): Promise<string> {
  const subtitle = `${r.window.start} → ${r.window.end} (Monday 09:00 to Monday 09:00, ${r.window.timeZone}) · generated ${r.generatedAt}`;
  if (r.empty) return page(`Weekly sneaker trends — ${r.week}`, subtitle, noData('this week'));
  const growth = r.brandGrowth.map((b): Cell[] => [
    b.brand,
    formatEuros(b.revenue),
    formatEuros(b.previousRevenue),
    pct(b.growth),
    { html: `<span class="flag ${b.trend}">${b.trend}</span>` },
  ]);
  const body = `${kpiCards(r.kpis, r.change)}
<h2>Charts</h2><div class="grid">
${await figure('daily-revenue-by-brand', lineByBrand(r.dailyRevenueByBrand, 'Daily revenue by brand (EUR)'))}
${await figure('heatmap', heatmapChart(r.heatmap, 'Orders by weekday and hour'))}
${await figure('sizes', barChart(r.sizes, 'name', 'units', 'Units sold by size (EU)', { sort: false, xTitle: 'size' }))}
${await figure('cities', barChart(r.revenueByCity, 'name', 'revenue', 'Revenue by city (EUR)'))}
</div>
<h2>Brands, week over week</h2>
${table(['Brand', 'Revenue (EUR)', 'Previous week', 'Growth', 'Trend'], growth, [false, true, true, true, false])}
<h2>Stock cover of the fastest sellers</h2>
${table(
  ['Model', 'Size', 'Sold this week', 'In stock', 'Days of cover'],
  r.stockCover.map((s) => [
    `${s.brand} ${s.model}`,
    s.size,
    formatInt(s.unitsSold),
    formatInt(s.stock),
    s.daysOfCover === null ? '—' : s.daysOfCover.toFixed(1),
  ]),
  [false, false, true, true, true],
)}
<p class="muted">Repeat-customer rate: ${pct(r.repeatCustomerRate)} of this week's customers ordered more than once.</p>
<h2>Anomalies</h2>
${
  r.anomalies.length === 0
    ? '<p class="muted">No day or hour deviates strongly from the same weekday and hour of the previous weeks.</p>'
    : table(
        ['Date', 'Hour', 'Orders', 'Expected', 'Direction'],
        r.anomalies.map((a) => [
          a.date,
          a.hour === null ? 'whole day' : `${a.hour}:00`,
          formatInt(a.orders),
          a.expected.toFixed(1),
          a.direction,
        ]),
        [false, false, true, true, false],
      )
}
<p class="muted">Compared with the previous week: ${formatInt(r.previous.orders)} orders, ${formatEuros(r.previous.revenue)} € revenue.</p>`;
  return page(`Weekly sneaker trends — ${r.week}`, subtitle, body);
}
