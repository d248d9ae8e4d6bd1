import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DailyReportSchema, WeeklyReportSchema, dailyWindow, reportPeriod, weeklyWindow } from '@sneakpipe/sneakers';
import { inkOf, launchChromium } from '@sneakpipe/test-support/browser';
import { runCli } from '@sneakpipe/test-support/cli';
import { queryDuckDbFile } from '@sneakpipe/test-support/duckdb';

const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-reports-'));
const warehouse = join(dir, 'w.duckdb');
const out = join(dir, 'reports');
const TZ = 'Europe/Paris';
const day = 86_400_000;
const date = reportPeriod('daily', Date.now() - 3 * day, TZ);
const week = reportPeriod('weekly', Date.now(), TZ);
let browser: Browser;

const ts = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
const sql = async (q: string) => (await queryDuckDbFile(warehouse, q)) as unknown[][];

beforeAll(async () => {
  const seeded = await runCli([
    'seed',
    '--warehouse',
    warehouse,
    '--customers',
    '400',
    '--days',
    '0',
    '--stream-days',
    '22',
    '--orders-per-day',
    '600',
  ]);
  expect(seeded.code, seeded.stderr).toBe(0);
  for (const args of [
    ['report', 'daily', '--date', date],
    ['report', 'weekly', '--week', week],
    ['report', 'daily', '--date', '2020-01-01'],
  ]) {
    const r = await runCli([...args, '--warehouse', warehouse, '--out', out, '--timezone', TZ]);
    expect(r.code, r.stderr).toBe(0);
  }
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const json = (name: string) => JSON.parse(readFileSync(join(out, `${name}.json`), 'utf8')) as unknown;
const html = (name: string) => readFileSync(join(out, `${name}.html`), 'utf8');

describe('daily report', () => {
  it('matches an independent SQL computation of every KPI and of the top brands', async () => {
    const report = DailyReportSchema.parse(json(`daily-${date}`));
    const w = dailyWindow(date, TZ);
    const where = `"TIMESTAMP" >= TIMESTAMP '${ts(w.start)}' AND "TIMESTAMP" < TIMESTAMP '${ts(w.end)}'`;
    const [[orders, revenue, units, customers]] = (await sql(
      `SELECT COUNT(*), SUM(TOTAL_AMOUNT)::DOUBLE, SUM(QUANTITY), COUNT(DISTINCT (CUSTOMER_NAME, CUSTOMER_CITY)) FROM STG.STREAMING_ORDERS WHERE EVENT_TYPE = 'order_created' AND ${where}`,
    )) as [[bigint, number, bigint, bigint]];
    const [[cancelled, returned]] = (await sql(
      `SELECT COUNT(*) FILTER (WHERE EVENT_TYPE = 'cancelled'), COUNT(*) FILTER (WHERE EVENT_TYPE = 'returned') FROM STG.STREAMING_ORDERS WHERE ${where}`,
    )) as [[bigint, bigint]];
    expect(report.kpis.orders).toBe(Number(orders));
    expect(report.kpis.orders).toBeGreaterThan(300);
    expect(report.kpis.revenue).toBeCloseTo(revenue, 2);
    expect(report.kpis.units).toBe(Number(units));
    expect(report.kpis.customers).toBe(Number(customers));
    expect(report.kpis.averageOrderValue).toBeCloseTo(revenue / Number(orders), 2);
    expect(report.kpis.cancellationRate).toBeCloseTo(Number(cancelled) / Number(orders), 10);
    expect(report.kpis.returnRate).toBeCloseTo(Number(returned) / Number(orders), 10);
    const top = (await sql(
      `SELECT BRAND, SUM(TOTAL_AMOUNT)::DOUBLE AS R FROM STG.STREAMING_ORDERS WHERE EVENT_TYPE = 'order_created' AND ${where} GROUP BY 1 ORDER BY R DESC LIMIT 5`,
    )) as [string, number][];
    expect(report.top.brands.map((b) => b.name)).toEqual(top.map((t) => t[0]));
    expect(report.hourly.reduce((n, h) => n + h.orders, 0)).toBe(Number(orders));
    const [[previousOrders]] = (await sql(
      `SELECT COUNT(*) FROM STG.STREAMING_ORDERS WHERE EVENT_TYPE = 'order_created' AND "TIMESTAMP" >= TIMESTAMP '${ts(w.start - day)}' AND "TIMESTAMP" < TIMESTAMP '${ts(w.end - day)}'`,
    )) as [[bigint]];
    expect(report.previous.orders).toBe(Number(previousOrders));
  });

  it('writes "no data for this period" for an empty day, without dividing by zero', () => {
    const report = DailyReportSchema.parse(json('daily-2020-01-01'));
    expect(report.empty).toBe(true);
    expect(report.kpis).toMatchObject({ orders: 0, revenue: 0, averageOrderValue: null, cancellationRate: null, returnRate: null });
    expect(html('daily-2020-01-01')).toMatch(/No data for this period/);
  });
});

describe('weekly report', () => {
  it('matches independent SQL for the KPIs, repeat customers, cities, stock cover and brand trends', async () => {
    const report = WeeklyReportSchema.parse(json(`weekly-${week}`));
    const w = weeklyWindow(week, TZ);
    const where = `EVENT_TYPE = 'order_created' AND "TIMESTAMP" >= TIMESTAMP '${ts(w.start)}' AND "TIMESTAMP" < TIMESTAMP '${ts(w.end)}'`;
    const [[orders, revenue]] = (await sql(`SELECT COUNT(*), SUM(TOTAL_AMOUNT)::DOUBLE FROM STG.STREAMING_ORDERS WHERE ${where}`)) as [
      [bigint, number],
    ];
    expect(report.kpis.orders).toBe(Number(orders));
    expect(report.kpis.revenue).toBeCloseTo(revenue, 2);
    const [[customers, repeat]] = (await sql(
      `SELECT COUNT(*), COUNT(*) FILTER (WHERE n >= 2) FROM (SELECT COUNT(*) AS n FROM STG.STREAMING_ORDERS WHERE ${where} GROUP BY CUSTOMER_NAME, CUSTOMER_CITY)`,
    )) as [[bigint, bigint]];
    expect(report.repeatCustomerRate).toBeCloseTo(Number(repeat) / Number(customers), 10);
    const [[topCity]] = (await sql(
      `SELECT CUSTOMER_CITY FROM STG.STREAMING_ORDERS WHERE ${where} GROUP BY 1 ORDER BY SUM(TOTAL_AMOUNT) DESC LIMIT 1`,
    )) as [[string]];
    expect(report.revenueByCity[0]!.name).toBe(topCity);
    expect(report.dailyRevenueByBrand.reduce((s, d) => s + d.revenue, 0)).toBeCloseTo(revenue, 1);
    expect(report.heatmap).toHaveLength(7 * 24);
    expect(report.heatmap.reduce((n, c) => n + c.orders, 0)).toBe(Number(orders));
    const best = report.stockCover[0]!;
    const [[stock]] = (await sql(
      `SELECT SUM(STOCK_QUANTITY) FROM STG.INVENTORY WHERE BRAND = '${best.brand}' AND MODEL = '${best.model}' AND SIZE = '${best.size}'`,
    )) as [[bigint | null]];
    expect(best.stock).toBe(Number(stock ?? 0));
    // Week over week per brand, from SQL: revenue this week and the week before, and the trend a move of more than 10 % gives.
    const brandRevenue = async (from: number, to: number) =>
      new Map(
        (await sql(
          `SELECT BRAND, SUM(TOTAL_AMOUNT)::DOUBLE FROM STG.STREAMING_ORDERS WHERE EVENT_TYPE = 'order_created' AND "TIMESTAMP" >= TIMESTAMP '${ts(from)}' AND "TIMESTAMP" < TIMESTAMP '${ts(to)}' GROUP BY 1`,
        )) as [string, number][],
      );
    const [now, before] = [await brandRevenue(w.start, w.end), await brandRevenue(w.start - 7 * day, w.end - 7 * day)];
    const cents = (euros: number) => Math.round(euros * 100) / 100;
    const expected = [...new Set([...now.keys(), ...before.keys()])].map((brand) => {
      const [r, p] = [cents(now.get(brand) ?? 0), cents(before.get(brand) ?? 0)];
      const growth = p > 0 ? (r - p) / p : null;
      return { brand, trend: growth === null ? 'stable' : growth > 0.1 ? 'growing' : growth < -0.1 ? 'declining' : 'stable' };
    });
    const byBrand = (rows: { brand: string }[]) => [...rows].sort((a, b) => a.brand.localeCompare(b.brand));
    expect(byBrand(report.brandGrowth.map(({ brand, trend }) => ({ brand, trend })))).toEqual(byBrand(expected));
    for (const b of report.brandGrowth) {
      expect(b.revenue, b.brand).toBeCloseTo(now.get(b.brand) ?? 0, 2);
      expect(b.previousRevenue, b.brand).toBeCloseTo(before.get(b.brand) ?? 0, 2);
    }
  });
});

describe('HTML reports', () => {
  const pages = () => [`daily-${date}`, `weekly-${week}`];

  it('are single self-contained files: no URL, no script, no external resource', () => {
    for (const name of pages()) {
      const page = html(name);
      expect(page, name).not.toMatch(/https?:\/\//);
      expect(page, name).not.toMatch(/<script|<link|<img|<iframe|@import|src=/i);
      expect(page, name).toMatch(/<svg/);
      expect(page, name).toMatch(/<meta name="viewport"/);
    }
  });

  it('render in headless Chromium, on a desktop and a phone, with every chart drawn', async () => {
    for (const name of pages()) {
      for (const viewport of [
        { width: 1200, height: 900 },
        { width: 390, height: 844 },
      ]) {
        const page = await browser.newPage({ viewport });
        await page.goto(pathToFileURL(join(out, `${name}.html`)).href);
        const charts = await page.locator('figure.chart').all();
        expect(charts.length, name).toBe(name.startsWith('daily') ? 2 : 4);
        for (const chart of charts) {
          const ink = inkOf(await chart.screenshot());
          const label = `${name} ${await chart.getAttribute('data-chart')} @${viewport.width}px`;
          expect(ink.colors, label).toBeGreaterThan(20);
          expect(ink.inked, label).toBeGreaterThan(0.03);
        }
        const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
        expect(overflow, `${name} fits ${viewport.width}px`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: join(dir, `${name}-${viewport.width}.png`), fullPage: true });
        await page.close();
      }
    }
  }, 120_000);
});

describe('sneakpipe schedule', () => {
  it('catches up the daily runs missed while it was down, and serves the latest KPIs as Prometheus gauges for Grafana', async () => {
    const { writeFileSync } = await import('node:fs');
    const { startCli } = await import('@sneakpipe/test-support/cli');
    const { parseExposition, metricNames } = await import('@sneakpipe/test-support/prometheus');
    const scheduleOut = join(dir, 'scheduled');
    const state = join(dir, 'state.json');
    // The end of the daily window two days ago: 08:00 local time on that date.
    const twoDaysAgo = dailyWindow(reportPeriod('daily', Date.now() - 2 * day, TZ), TZ).end;
    writeFileSync(state, JSON.stringify({ daily: twoDaysAgo, weekly: Date.now() }));
    const scheduler = startCli([
      'schedule',
      '--warehouse',
      warehouse,
      '--out',
      scheduleOut,
      '--timezone',
      TZ,
      '--state',
      state,
      '--metrics-port',
      '0',
      '--metrics-host',
      '127.0.0.1',
    ]);
    try {
      const port = Number((await scheduler.waitFor(/metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/))[1]);
      const expectedDates = [1, 0]
        .map((k) => reportPeriod('daily', Date.now() - k * day, TZ))
        .filter((d) => dailyWindow(d, TZ).end <= Date.now());
      for (const d of expectedDates) await scheduler.waitFor(new RegExp(`"period":"${d}"`), 60_000);
      const { samples, families } = parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
      const latest = DailyReportSchema.parse(JSON.parse(readFileSync(join(scheduleOut, `daily-${expectedDates.at(-1)}.json`), 'utf8')));
      expect(samples.get('sneaker_report_orders{report="daily"}')).toBe(latest.kpis.orders);
      expect(samples.get('sneaker_report_revenue_euros{report="daily"}')).toBeCloseTo(latest.kpis.revenue, 2);
      const dashboard = JSON.parse(
        readFileSync(new URL('../../../monitoring/grafana/dashboards/sneaker-business.json', import.meta.url), 'utf8'),
      ) as { panels: { targets: { expr: string }[] }[] };
      const missing = dashboard.panels
        .flatMap((p) => p.targets.flatMap((t) => [...metricNames(t.expr)]))
        .filter((n) => !families.has(n) && !families.has(n.replace(/_total$/, '')) && n !== 'time');
      expect(missing).toEqual([]);
      expect(JSON.parse(readFileSync(state, 'utf8')).daily).toBeGreaterThan(twoDaysAgo);
    } finally {
      scheduler.child.kill('SIGTERM');
      expect((await scheduler.done).code).toBe(0);
    }
  }, 120_000);
});
