#!/usr/bin/env bash
# The whole test suite, as the README's test command runs it: builds the
# packages, type-checks sources and tests, runs every test, and ends with one
# line "tests: N passed, N failed" that CI reads.
set -uo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "build + typecheck"
npx turbo run build typecheck --output-logs=errors-only || exit 1

step "infrastructure (real Kafka broker, Snowflake emulator)"
trap 'bash scripts/infra/down.sh >/dev/null 2>&1' EXIT
bash scripts/infra/up.sh || exit 1
set -a; source .infra/kafka.env; set +a

step "tests"
rm -f .test-results.json
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-results.json
status=$?

node scripts/print-test-summary.mjs .test-results.json || status=1
exit $status
