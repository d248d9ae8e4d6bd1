import { fields, setting, type Warehouse } from '@sneakpipe/core';
import { join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { reportPeriod } from '@sneakpipe/sneakers';
import type { SettingsValues } from '../config/settings.js';
import type { Logger } from '../logger.js';
import { ReportMetrics } from '../reports/report-metrics.js';
import { runReport, type ReportKind } from '../reports/run-report.js';
import { ReportScheduler, fileState } from '../reports/scheduler.js';
import { opsSettings } from '../service/ops-settings.js';
import { runService } from '../service/service.js';
import { openWarehouse } from '../warehouse.js';
import type { CommandContext } from './context.js';
import { defineCommand } from './define-command.js';
import { reportSettings } from './report.js';

const cron = z.string().refine((expr) => expr.trim().split(/\s+/).length >= 5, 'expected a cron expression such as "0 8 * * *"');

/** When reports run and where completed runs are remembered: `schedule`'s settings, also used by `consume --schedule-reports`. */
export const scheduleSettings = {
  ...reportSettings,
  dailyCron: setting(cron.default('0 8 * * *'), {
    flag: 'daily-cron',
    value: 'cron',
    env: 'SNEAKPIPE_DAILY_CRON',
    description: 'when the daily report runs (local time)',
  }),
  weeklyCron: setting(cron.default('0 9 * * 1'), {
    flag: 'weekly-cron',
    value: 'cron',
    env: 'SNEAKPIPE_WEEKLY_CRON',
    description: 'when the weekly report runs (local time)',
  }),
  state: setting(fields.nonEmpty('a file path').optional(), {
    flag: 'state',
    value: 'file',
    env: 'SNEAKPIPE_SCHEDULE_STATE',
    description: 'where completed runs are remembered (default: <out>/.schedule-state.json)',
  }),
};

const settings = { ...scheduleSettings, ...opsSettings(8003) };

/**
 * The daily and weekly report jobs on their cron schedules, each run given the
 * warehouse by `withWarehouse`: `schedule` opens it per run, `consume
 * --schedule-reports` lends the one it loads into.
 */
export function reportScheduler(
  config: SettingsValues<typeof scheduleSettings>,
  log: Logger,
  metrics: ReportMetrics,
  withWarehouse: (work: (warehouse: Warehouse) => Promise<void>) => Promise<void>,
): ReportScheduler {
  const job = (kind: ReportKind, cronExpr: string) => ({
    name: kind,
    cron: cronExpr,
    run: (at: number) =>
      withWarehouse(async (warehouse) => {
        const written = await runReport(warehouse, kind, reportPeriod(kind, at, config.timezone), {
          outDir: config.out,
          timeZone: config.timezone,
        });
        metrics.observe(written.report);
        log.info({ kind, period: written.period, html: written.html, orders: written.report.kpis.orders }, 'report written');
      }),
  });
  return new ReportScheduler([job('daily', config.dailyCron), job('weekly', config.weeklyCron)], {
    timeZone: config.timezone,
    state: fileState(config.state ?? join(config.out, '.schedule-state.json')),
    events: {
      onStart: (name, at, catchUp) => log.info({ job: name, scheduledAt: new Date(at).toISOString(), catchUp }, 'report run starting'),
      onSuccess: (name, at, ms) => log.info({ job: name, scheduledAt: new Date(at).toISOString(), ms }, 'report run succeeded'),
      onFailure: (name, at, error) => {
        metrics.failed(name);
        log.error(
          { job: name, scheduledAt: new Date(at).toISOString(), err: error },
          'report run failed; it will be retried at the next start',
        );
      },
    },
  });
}

/** Logs the next runs of each job. */
export function logNextRuns(scheduler: ReportScheduler, log: Logger): void {
  for (const kind of ['daily', 'weekly'] as const) {
    log.info({ job: kind, next: scheduler.nextRuns(kind, 3, Date.now()).map((t) => new Date(t).toISOString()) }, 'scheduled');
  }
}

/** `sneakpipe schedule`: the original system's Airflow schedule, without Airflow. */
export function scheduleCommand(context: CommandContext): Command {
  const spec = {
    name: 'schedule',
    description:
      'Run the daily report at 08:00 and the weekly report on Mondays at 09:00 (time zone and cron expressions configurable), one at a time, catching up runs missed while it was down. Serves the latest KPIs as Prometheus gauges on :8003/metrics for Grafana.',
    examples: ['sneakpipe schedule --timezone Europe/Paris', "sneakpipe schedule --daily-cron '30 7 * * *' --out /srv/reports"],
    settings,
  };
  return defineCommand(spec, async (config) => {
    const log = context.logger();
    const metrics = new ReportMetrics();
    // Each run opens the warehouse and closes it again (a DuckDB file opens in one process at a time).
    const scheduler = reportScheduler(config, log, metrics, async (work) => {
      const warehouse = await openWarehouse(config);
      try {
        await work(warehouse);
      } finally {
        await warehouse.close();
      }
    });
    await runService({ name: 'scheduler', log, registry: metrics.registry, checks: {}, ...config }, async ({ stop$ }) => {
      const stopping = stop$.subscribe(() => scheduler.stop());
      logNextRuns(scheduler, log);
      try {
        await scheduler.run();
      } finally {
        stopping.unsubscribe();
      }
    });
  });
}
