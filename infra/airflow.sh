#!/usr/bin/env bash
# Real Airflow (3.x, from PyPI) for the DAG tests (packages/runners/test/airflow-dags.test.ts), in a
# project-local virtualenv: .infra/airflow/venv. Installed once, pinned by
# infra/airflow/requirements.txt and its lock constraints.txt, and reinstalled
# only when either file changes, so a warm run costs a second. Nothing runs:
# each test gets its own AIRFLOW_HOME with a SQLite database.
#
#   infra/airflow.sh install | status
#
# Writes the airflow command's path to .infra/airflow.env (git-ignored).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
home="$root/.infra/airflow"
venv="$home/venv"
envfile="$root/.infra/airflow.env"
requirements="$root/infra/airflow/requirements.txt"
constraints="$root/infra/airflow/constraints.txt"

# The sha1 of both files: what is installed.
wanted() { cat "$requirements" "$constraints" | sha1sum | cut -d' ' -f1; }

install() {
  if [[ -x "$venv/bin/airflow" && -f "$venv/.requirements.sha" && "$(cat "$venv/.requirements.sha")" == "$(wanted)" ]]; then
    echo "airflow: installed ($("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("apache-airflow"))'))"
  else
    echo "airflow: installing Airflow into $venv (about a minute or two) ..."
    local started=$SECONDS
    rm -rf "$venv"
    mkdir -p "$home"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements" -c "$constraints"
    wanted > "$venv/.requirements.sha"
    echo "airflow: installed in $((SECONDS - started)) s"
  fi
  echo "AIRFLOW_BIN=$venv/bin/airflow" > "$envfile"
}

case "${1:-}" in
  install) install ;;
  status) if [[ -f "$envfile" ]]; then cat "$envfile"; else echo "airflow: not installed"; exit 1; fi ;;
  *) echo "usage: $0 install|status" >&2; exit 2 ;;
esac
