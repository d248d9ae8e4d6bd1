#!/usr/bin/env bash
# Stops everything infra/up.sh started.
set -uo pipefail
here="$(dirname "$0")"
bash "$here/kafka.sh" down
bash "$here/snowflake.sh" down
