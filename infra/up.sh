#!/usr/bin/env bash
# Starts every real component the tests and benchmarks use, each on free
# loopback ports, and writes their addresses to .infra/*.env:
# a Kafka broker (Maven jars) and the Snowflake emulator (fakesnow, PyPI);
# Prometheus and node-exporter are installed here and started by the tests;
# Airflow is installed into .infra/airflow/venv (infra/airflow.sh;
# cached: a warm run checks a hash) and run by its tests.
# What the machine must have is checked first (infra/prereqs.sh).
set -euo pipefail
here="$(dirname "$0")"
bash "$here/prereqs.sh"
bash "$here/system.sh"
bash "$here/kafka.sh" up &
kafka=$!
bash "$here/snowflake.sh" up &
snowflake=$!
bash "$here/airflow.sh" install &
airflow=$!
wait "$kafka"
wait "$snowflake"
wait "$airflow"
