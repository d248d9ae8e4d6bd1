"""The seed's two report DAGs for teams that keep Airflow: each task calls the
sneakpipe CLI, which does the work (queries, charts, HTML + JSON). Without
Airflow, `sneakpipe schedule` runs the same jobs on the same schedule.

The sneakpipe image (Dockerfile at the repository root) or an installed
`sneakpipe` bin must be on the workers; SNOWFLAKE_* variables come from the
worker environment or an Airflow connection turned into env vars.
"""

from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator

SNEAKPIPE = "sneakpipe"
REPORTS_DIR = "/opt/airflow/reports"
TIMEZONE = "Europe/Paris"

default_args = {"retries": 2, "retry_delay": timedelta(minutes=5)}

with DAG(
    dag_id="daily_sneaker_report",
    schedule="0 8 * * *",
    start_date=datetime(2025, 1, 1),
    catchup=True,
    max_active_runs=1,
    default_args=default_args,
    tags=["sneakpipe"],
) as daily:
    BashOperator(
        task_id="report_daily",
        bash_command=f"{SNEAKPIPE} report daily --date {{{{ data_interval_end | ds }}}} --out {REPORTS_DIR} --timezone {TIMEZONE}",
    )

with DAG(
    dag_id="weekly_sneaker_trends",
    schedule="0 9 * * 1",
    start_date=datetime(2025, 1, 6),
    catchup=True,
    max_active_runs=1,
    default_args=default_args,
    tags=["sneakpipe"],
) as weekly:
    BashOperator(
        task_id="report_weekly",
        bash_command=(
            f"{SNEAKPIPE} report weekly "
            "--week {{ (data_interval_end - macros.timedelta(days=7)).strftime('%G-W%V') }} "
            f"--out {REPORTS_DIR} --timezone {TIMEZONE}"
        ),
    )
