"""The seed's two report DAGs for teams that keep Airflow (3.x): each task calls
the sneakpipe CLI, which does the work (queries, charts, HTML + JSON). Without
Airflow, `sneakpipe schedule` runs the same jobs on the same schedule.

Both read the settings `sneakpipe schedule` reads, from the environment of the
scheduler and the workers, with the same defaults, so the two agree:

- SNEAKPIPE_TIMEZONE (default UTC): the DAGs' time zone (their crons run in
  it, DST included) and the reports' `--timezone`;
- SNEAKPIPE_DAILY_CRON (default "0 8 * * *"), SNEAKPIPE_WEEKLY_CRON (default
  "0 9 * * 1"): when each report runs, local time;
- SNEAKPIPE_REPORTS_DIR (default /opt/airflow/reports): where the files go.

SNEAKPIPE_CLI (default `sneakpipe`) is the command that runs the CLI on the
workers, e.g. `node /app/packages/runners/dist/cli.js`. The warehouse settings
(SNEAKPIPE_WAREHOUSE for a DuckDB file, SNOWFLAKE_*) are read by the CLI itself
from the worker environment.

No catch-up (catchup=False): a DAG that is switched on queues no past runs,
only the latest due one, then runs on schedule. The start date is early on
purpose: Airflow runs no task for a logical date before it, and runs for past
periods are still wanted on request: `airflow dags test daily_sneaker_report
2026-11-29T07:00:00+00:00`, a triggered run with that logical date, or
`airflow backfill create --dag-id daily_sneaker_report --from-date … --to-date …`
(or simply `sneakpipe report daily --date 2026-11-29`).
"""

import os
from datetime import timedelta

import pendulum
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

TIMEZONE = pendulum.timezone(os.environ.get("SNEAKPIPE_TIMEZONE") or "UTC")
DAILY_CRON = os.environ.get("SNEAKPIPE_DAILY_CRON") or "0 8 * * *"
WEEKLY_CRON = os.environ.get("SNEAKPIPE_WEEKLY_CRON") or "0 9 * * 1"
# Early, so runs for past periods can be asked for; catchup=False keeps the scheduler from queueing them.
START = pendulum.datetime(2024, 1, 1, tz=TIMEZONE)

# Expanded by bash on the worker, so the CLI and folder are the worker's.
SNEAKPIPE = '${SNEAKPIPE_CLI:-sneakpipe}'
OUT = '--out "${SNEAKPIPE_REPORTS_DIR:-/opt/airflow/reports}"'


def report_day(dag_run_time):
    """The local date of a run: the day whose 08:00 ends the daily report's 24 h."""
    return pendulum.instance(dag_run_time).in_timezone(TIMEZONE).strftime("%Y-%m-%d")


def report_week(dag_run_time):
    """The ISO week that ended before a (Monday) run: the weekly report's week."""
    return (pendulum.instance(dag_run_time).in_timezone(TIMEZONE) - timedelta(days=7)).strftime("%G-W%V")


common = dict(
    start_date=START,
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=5)},
    user_defined_macros={"report_day": report_day, "report_week": report_week},
    tags=["sneakpipe"],
)
# When the run is due: its logical date (scheduled runs and runs triggered with one), else when it was triggered.
RUN_TIME = "(logical_date or dag_run.run_after)"

with DAG(dag_id="daily_sneaker_report", schedule=DAILY_CRON, **common) as daily:
    BashOperator(
        task_id="report_daily",
        bash_command=f"{SNEAKPIPE} report daily --date {{{{ report_day({RUN_TIME}) }}}} {OUT} --timezone {TIMEZONE.name}",
    )

with DAG(dag_id="weekly_sneaker_trends", schedule=WEEKLY_CRON, **common) as weekly:
    BashOperator(
        task_id="report_weekly",
        bash_command=f"{SNEAKPIPE} report weekly --week {{{{ report_week({RUN_TIME}) }}}} {OUT} --timezone {TIMEZONE.name}",
    )
