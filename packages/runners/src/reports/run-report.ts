import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Warehouse } from '@sneakpipe/core';
import {
  buildDailyReport,
  DailyReportSchema,
  WeeklyReportSchema,
  type DailyReport,
  type WeeklyReport,
  buildWeeklyReport,
} from '@sneakpipe/sneakers';
import { dailyHtml, weeklyHtml } from './html.js';

export type ReportKind = 'daily' | 'weekly';

/** What a report run wrote. */
export interface WrittenReport {
  kind: ReportKind;
  /** The date (daily) or ISO week (weekly). */
  period: string;
  html: string;
  json: string;
  report: DailyReport | WeeklyReport;
}

/**
 * Builds a report, validates it against its exported schema, and writes
 * `<kind>-<period>.html` and `.json` into `outDir`.
 */
export async function runReport(
  warehouse: Warehouse,
  kind: ReportKind,
  period: string,
  options: { outDir: string; timeZone: string; now?: number },
): Promise<WrittenReport> {
  const now = options.now ?? Date.now();
  const report =
    kind === 'daily'
      ? DailyReportSchema.parse(await buildDailyReport(warehouse, period, options.timeZone, now))
      : WeeklyReportSchema.parse(await buildWeeklyReport(warehouse, period, options.timeZone, now));
  const html = report.kind === 'daily' ? await dailyHtml(report) : await weeklyHtml(report);
  await mkdir(options.outDir, { recursive: true });
  const base = join(options.outDir, `${kind}-${period}`);
  await writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(`${base}.html`, html);
  return { kind, period, html: `${base}.html`, json: `${base}.json`, report };
}
