import { fields, setting } from '@sneakpipe/core';
import { Command } from 'commander';
import { z } from 'zod';
import { reportPeriod, weeklyWindow } from '@sneakpipe/sneakers';
import { runReport, type ReportKind } from '../reports/run-report.js';
import { openWarehouse, warehouseSettings } from '../warehouse.js';
import type { CommandContext } from './context.js';
import { defineCommand } from './define-command.js';

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'expected an IANA time zone such as Europe/Paris or UTC');

export const reportSettings = {
  ...warehouseSettings,
  out: setting(fields.nonEmpty('a folder').default('./reports'), {
    flag: 'out',
    value: 'dir',
    env: 'SNEAKPIPE_REPORTS_DIR',
    description: 'folder the HTML and JSON files go to',
  }),
  timezone: setting(timeZone.default('UTC'), {
    flag: 'timezone',
    value: 'tz',
    env: 'SNEAKPIPE_TIMEZONE',
    description: 'time zone of report windows, hours and weekdays',
  }),
};

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(d)), 'expected a real date YYYY-MM-DD');
const week = z.string().refine((w) => {
  try {
    weeklyWindow(w, 'UTC');
    return true;
  } catch {
    return false;
  }
}, 'expected an ISO week YYYY-Www, e.g. 2025-W03');

function reportSubcommand(kind: ReportKind, context: CommandContext): Command {
  const period =
    kind === 'daily'
      ? {
          period: setting(date.optional(), {
            flag: 'date',
            value: 'YYYY-MM-DD',
            description: 'the day whose 08:00 ends the 24 h window (default: today)',
          }),
        }
      : {
          period: setting(week.optional(), {
            flag: 'week',
            value: 'YYYY-Www',
            description: 'ISO week, Monday 09:00 to Monday 09:00 (default: the last complete week)',
          }),
        };
  const settings = { ...reportSettings, ...period };
  const spec = {
    name: kind,
    description:
      kind === 'daily'
        ? 'Daily report: KPIs, top brands/models/sizes/cities, hourly profile and comparison with the previous day, for the 24 h ending at 08:00. Writes daily-YYYY-MM-DD.html and .json.'
        : 'Weekly trends: daily revenue by brand, week-over-week growth, cities, weekday × hour heatmap, sizes, repeat customers, stock cover, anomalies. Writes weekly-YYYY-Www.html and .json.',
    examples:
      kind === 'daily'
        ? ['sneakpipe report daily --date 2025-01-15 --timezone Europe/Paris']
        : ['sneakpipe report weekly --week 2025-W03 --out ./reports'],
    settings,
  };
  return defineCommand(spec, async (config) => {
    const log = context.logger();
    const warehouse = await openWarehouse(config);
    try {
      const chosen = config.period ?? reportPeriod(kind, Date.now(), config.timezone);
      const written = await runReport(warehouse, kind, chosen, { outDir: config.out, timeZone: config.timezone });
      log.info({ kind, period: chosen, html: written.html, json: written.json, orders: written.report.kpis.orders }, 'report written');
      context.out(`${written.html}\n${written.json}${written.report.empty ? '\n(no data for this period)' : ''}`);
    } finally {
      await warehouse.close();
    }
  });
}

/** `sneakpipe report daily|weekly`: the original system's Airflow DAGs as commands. */
export function reportCommand(context: CommandContext): Command {
  return new Command('report')
    .description('Write the daily or weekly business report (self-contained HTML with charts, plus JSON) from the warehouse.')
    .addCommand(reportSubcommand('daily', context))
    .addCommand(reportSubcommand('weekly', context));
}
