import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  WAREHOUSE_LOCATION,
  WAREHOUSE_TABLES,
  INVENTORY,
  OrderEventGenerator,
  inventoryRows,
  orderEventTables,
  type OrderEvent,
  DailyReportSchema,
  WeeklyReportSchema,
  buildDailyReport,
  buildWeeklyReport,
  dailyWindow,
  weeklyWindow,
} from '@sneakpipe/sneakers';
import { defaultOf, type Decoded } from '@sneakpipe/core';
import { DuckDbWarehouse } from '@sneakpipe/connectors/duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSettings } from '../src/commands/report.js';
import { ReportScheduler } from '../src/reports/scheduler.js';
import { airflowBin, airflowPython, lastJson, run } from '@sneakpipe/test-support/airflow';
import { CLI } from '@sneakpipe/test-support/cli';

// Real Airflow (3.x, the venv infra/airflow.sh installs) runs the DAG file the project ships,
// airflow/dags/sneakpipe_reports.py, on a SQLite metadata database of its own, and its tasks run the built CLI.
const DAGS = fileURLToPath(new URL('../../../airflow/dags', import.meta.url));
const DAG_FILE = join(DAGS, 'sneakpipe_reports.py');
const TIME_ZONE = 'Europe/Paris';

/** The schedules docs/reports.md gives `sneakpipe schedule` (its defaults): the DAGs must run on the same. */
const DOCUMENTED = (() => {
  const docs = readFileSync(fileURLToPath(new URL('../../../docs/reports.md', import.meta.url)), 'utf8');
  const [, daily, weekly] = /runs the daily report at `([^`]+)` and the weekly at\s+`([^`]+)`/.exec(docs) ?? [];
  if (!daily || !weekly) throw new Error('docs/reports.md no longer says when `sneakpipe schedule` runs the reports');
  return { daily, weekly };
})();

const dir = mkdtempSync(join(tmpdir(), 'sneakpipe-airflow-'));
const warehousePath = join(dir, 'warehouse.duckdb');
const reportsDir = join(dir, 'reports');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The environment of Airflow and its tasks: as a deployment sets it (docs/reports.md, Airflow). */
function airflowEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // Nothing of the caller's Snowflake, Airflow or sneakpipe settings: the reports read the DuckDB file below.
  for (const [k, v] of Object.entries(process.env)) if (!/^(SNOWFLAKE_|AIRFLOW|SNEAKPIPE_)/.test(k)) env[k] = v;
  Object.assign(env, {
    AIRFLOW_HOME: join(dir, 'airflow-home'),
    AIRFLOW__CORE__DAGS_FOLDER: DAGS,
    AIRFLOW__CORE__LOAD_EXAMPLES: 'False',
    AIRFLOW__CORE__UNIT_TEST_MODE: 'False',
    SNEAKPIPE_TIMEZONE: TIME_ZONE,
    SNEAKPIPE_CLI: `${process.execPath} ${CLI}`,
    SNEAKPIPE_WAREHOUSE: warehousePath,
    SNEAKPIPE_REPORTS_DIR: reportsDir,
    ...extra,
  });
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
  return env;
}

const airflow = async (args: string[], env = airflowEnv()) => {
  const result = await run(airflowBin(), args, { env, cwd: dir, timeoutMs: 180_000 });
  expect(result.code, `airflow ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
};

/** What the DAG file defines, read by importing it with Airflow's own Python. */
async function dagAttributes(env: NodeJS.ProcessEnv): Promise<Record<string, { timezone: string; catchup: boolean; start: string }>> {
  const script = `
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("dags", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(json.dumps({d.dag_id: {"timezone": d.timezone.name, "catchup": d.catchup, "start": d.start_date.isoformat()}
                  for d in (module.daily, module.weekly)}))
`;
  const result = await run(airflowPython(), ['-c', script, DAG_FILE], { env, cwd: dir });
  expect(result.code, result.stderr).toBe(0);
  return lastJson(result.stdout);
}

/** Events from Monday 2025-01-06 to Tuesday 2025-01-21 (UTC), and stock: data for the periods the runs below report on. */
async function seedWarehouse(): Promise<void> {
  const warehouse = await DuckDbWarehouse.open({ path: warehousePath, ...WAREHOUSE_LOCATION }, { tables: WAREHOUSE_TABLES });
  try {
    const events: Decoded<OrderEvent>[] = [];
    for (const value of new OrderEventGenerator({
      seed: 16,
      customers: 200,
      start: Date.UTC(2025, 0, 6),
      end: Date.UTC(2025, 0, 21),
      ordersPerDay: 120,
    })) {
      events.push({ ok: true, value, sizeBytes: 0 });
    }
    await warehouse.append({ tables: orderEventTables(events) });
    await warehouse.insertIfAbsent(INVENTORY, inventoryRows({ seed: 16, colorsPerModel: 1, updatedAt: Date.UTC(2025, 0, 1) }));
  } finally {
    await warehouse.close();
  }
}

const withoutGeneratedAt = <T extends { generatedAt: string }>(r: T) => ({ ...r, generatedAt: '' });

describe('Airflow DAGs (airflow/dags/sneakpipe_reports.py) under real Airflow', () => {
  beforeAll(async () => {
    mkdirSync(reportsDir, { recursive: true });
    await seedWarehouse();
    await airflow(['db', 'migrate']);
  }, 240_000);

  it('both DAGs import without errors, with the schedules docs/reports.md gives `sneakpipe schedule`', async () => {
    const errors = await airflow(['dags', 'list-import-errors', '--local', '-o', 'json']);
    expect(lastJson(errors.stdout)).toEqual([]);
    const dags = lastJson<{ dag_id: string; timetable_summary: string }[]>(
      (await airflow(['dags', 'list', '--local', '-o', 'json', '--columns', 'dag_id,timetable_summary'])).stdout,
    );
    expect(dags).toEqual([
      { dag_id: 'daily_sneaker_report', timetable_summary: DOCUMENTED.daily },
      { dag_id: 'weekly_sneaker_trends', timetable_summary: DOCUMENTED.weekly },
    ]);
  }, 120_000);

  it('run in the time zone of `sneakpipe schedule` (SNEAKPIPE_TIMEZONE, same default), without catch-up', async () => {
    const configured = await dagAttributes(airflowEnv());
    const unset = await dagAttributes(airflowEnv({ SNEAKPIPE_TIMEZONE: undefined }));
    for (const id of ['daily_sneaker_report', 'weekly_sneaker_trends']) {
      expect(configured[id]!.timezone).toBe(TIME_ZONE);
      expect(unset[id]!.timezone).toBe(defaultOf(reportSettings.timezone)?.value);
      expect(configured[id]!.catchup).toBe(false);
    }
    // Airflow's scheduler plans the first run once a DAG is parsed: with no catch-up, the latest due occurrence in the
    // time zone, the one `sneakpipe schedule` runs first on a first start too. With catch-up it would be the start date's.
    const before = Date.now();
    await airflow(['dags', 'reserialize']);
    const after = Date.now();
    for (const [id, job, cron] of [
      ['daily_sneaker_report', 'daily', DOCUMENTED.daily],
      ['weekly_sneaker_trends', 'weekly', DOCUMENTED.weekly],
    ] as const) {
      const [details] = lastJson<{ next_dagrun_logical_date: string }[]>((await airflow(['dags', 'details', id, '-o', 'json'])).stdout);
      const scheduler = new ReportScheduler([{ name: job, cron, run: async () => undefined }], {
        timeZone: TIME_ZONE,
        state: { load: async () => ({}), save: async () => undefined },
      });
      const expected = [before, after].map((now) => scheduler.missedRuns(job, undefined, now)[0]);
      expect(expected).toContain(Date.parse(details!.next_dagrun_logical_date));
      expect(Date.now() - Date.parse(details!.next_dagrun_logical_date)).toBeLessThan(8 * 86_400_000);
    }
  }, 120_000);

  it('`airflow dags test` of the daily DAG writes the daily report of its date from the warehouse', async () => {
    const started = Date.now();
    // The run due on 2025-01-15 at 08:00 in Paris (07:00 UTC).
    const result = await airflow(['dags', 'test', 'daily_sneaker_report', '2025-01-15T07:00:00+00:00']);
    console.log(`airflow dags test daily_sneaker_report: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const file = join(reportsDir, 'daily-2025-01-15.json');
    expect(existsSync(file), readdirSync(reportsDir).join(', ')).toBe(true);
    expect(existsSync(join(reportsDir, 'daily-2025-01-15.html'))).toBe(true);
    const report = DailyReportSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    const window = dailyWindow('2025-01-15', TIME_ZONE);
    expect(report.window).toEqual({
      start: new Date(window.start).toISOString(),
      end: new Date(window.end).toISOString(),
      timeZone: TIME_ZONE,
    });
    expect(report.kpis.orders).toBeGreaterThan(50);
    const warehouse = await DuckDbWarehouse.open({ path: warehousePath, ...WAREHOUSE_LOCATION }, { tables: WAREHOUSE_TABLES });
    try {
      const expected = await buildDailyReport(warehouse, '2025-01-15', TIME_ZONE);
      expect(withoutGeneratedAt(report)).toEqual(withoutGeneratedAt(expected));
    } finally {
      await warehouse.close();
    }
  }, 180_000);

  it('`airflow dags test` of the weekly DAG on a Monday writes the report of the week that ended', async () => {
    const started = Date.now();
    // Monday 2025-01-20 09:00 in Paris: the week 2025-W03 (Monday 13th 09:00 to Monday 20th 09:00).
    await airflow(['dags', 'test', 'weekly_sneaker_trends', '2025-01-20T08:00:00+00:00']);
    console.log(`airflow dags test weekly_sneaker_trends: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const file = join(reportsDir, 'weekly-2025-W03.json');
    expect(existsSync(file), readdirSync(reportsDir).join(', ')).toBe(true);
    const report = WeeklyReportSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    const window = weeklyWindow('2025-W03', TIME_ZONE);
    expect(report.window).toEqual({
      start: new Date(window.start).toISOString(),
      end: new Date(window.end).toISOString(),
      timeZone: TIME_ZONE,
    });
    expect(report.kpis.orders).toBeGreaterThan(300);
    const warehouse = await DuckDbWarehouse.open({ path: warehousePath, ...WAREHOUSE_LOCATION }, { tables: WAREHOUSE_TABLES });
    try {
      const expected = await buildWeeklyReport(warehouse, '2025-W03', TIME_ZONE);
      expect(withoutGeneratedAt(report)).toEqual(withoutGeneratedAt(expected));
    } finally {
      await warehouse.close();
    }
  }, 180_000);
});
