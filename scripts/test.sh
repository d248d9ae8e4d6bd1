#!/usr/bin/env bash
# The whole test suite, as the README's test command runs it: builds the
# packages, type-checks sources and tests, starts the real components (Kafka,
# the Snowflake emulator; Prometheus and Chromium are installed), runs every
# test, then the fault suite (which stops and restarts components, so it runs
# alone), and ends with one line "tests: N passed, N failed" that CI reads.
# A skipped or todo test, or a test file that ran no test, fails the run too
# (scripts/print-test-summary.mjs names them).
#   scripts/test.sh               everything
#   scripts/test.sh --faults-only the fault suite only (npm run test:faults)
set -uo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

# What the machine must have (Java, Maven, Python, Debian packages): one line each if missing.
bash scripts/infra/prereqs.sh || exit 1

step "build + typecheck"
npx turbo run build typecheck --output-logs=errors-only || exit 1
npx tsc -p examples/tsconfig.json || exit 1

step "API reference (typedoc; a warning fails the build)"
npx typedoc --logLevel Warn || exit 1

step "infrastructure (real Kafka broker, Snowflake emulator)"
trap 'bash scripts/infra/down.sh >/dev/null 2>&1' EXIT
bash scripts/infra/up.sh || exit 1
set -a; source .infra/kafka.env; set +a

status=0
results=()
if [[ "${1:-}" != "--faults-only" ]]; then
  step "tests"
  rm -f .test-results.json
  npx vitest run --reporter=default --reporter=json --outputFile.json=.test-results.json || status=1
  results+=(.test-results.json)
fi

step "fault suite (crashes, broker restart, hostile input, bad settings, secrets)"
rm -f .test-results-faults.json
npx vitest run --config vitest.faults.config.ts --reporter=default --reporter=json --outputFile.json=.test-results-faults.json || status=1
results+=(.test-results-faults.json)

node scripts/print-test-summary.mjs "${results[@]}" || status=1
exit $status
