#!/usr/bin/env bash
# Starts every real component the tests and benchmarks use, each on free
# loopback ports, and writes their addresses to .infra/*.env.
set -euo pipefail
here="$(dirname "$0")"
bash "$here/kafka.sh" up
