#!/usr/bin/env bash
# The whole test suite, as the README's test command runs it: on Node 24 (the
# active LTS, installed once into .infra/node/24 by infra/node.sh and
# put first on PATH, so every `node`, `npx` and child process uses it), builds
# the packages, type-checks sources, tests and the documentation's code
# (scripts/docs-check.mjs), checks the packed packages
# (publint, attw: scripts/check-packages.sh), runs the unit tests once more on
# Node 22 (the oldest supported line), starts the real components (Kafka, the
# Snowflake emulator; Prometheus and Chromium are installed), runs every test,
# then the fault suite (which stops and restarts components, so it runs alone),
# then the live deployment test (the compose stack under podman, with locally
# built images: deploy/test.sh, which installs podman, runc and
# debootstrap with apt-get and writes /etc/containers/containers.conf, as root),
# and ends with one line "tests: N passed, N failed" that CI reads, counting
# every run (the Node 22 unit run too).
# A skipped or todo test, or a test file that ran no test, fails the run too
# (scripts/print-test-summary.mjs names them).
#   scripts/test.sh               everything
#   scripts/test.sh --faults-only the fault suite only (npm run test:faults)
set -uo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

# What the machine must have (Java, Maven, Python, Debian packages; for the live
# deployment test also podman and root to write /etc/containers/containers.conf):
# one line each if missing.
if [[ "${1:-}" == "--faults-only" ]]; then
  bash infra/prereqs.sh || exit 1
else
  bash infra/prereqs.sh --deploy || exit 1
fi

# The Node releases the suite runs on (npm ci may have run on another one: the
# native dependencies are N-API builds, which load on any of them).
node24="$(bash infra/node.sh 24)" || exit 1
node22="$(bash infra/node.sh 22)" || exit 1
export PATH="$node24:$PATH"
[[ "$(node --version)" == v24.* ]] || { echo "node on PATH is $(node --version), not Node 24" >&2; exit 1; }

step "build + typecheck (Node $(node --version))"
npx turbo run build typecheck --output-logs=errors-only || exit 1
npx tsc -p examples/tsconfig.json || exit 1
# The TypeScript in README.md, docs/*.md and the doc comments' @examples, against the built packages.
node scripts/docs-check.mjs || exit 1

step "settings reference (docs generated from the settings' schemas must match: npm run docs:settings)"
node scripts/settings-docs.mjs --check || exit 1

step "API reference (typedoc; a warning fails the build)"
npx typedoc --logLevel Warn || exit 1

step "packed packages (publint + @arethetypeswrong/cli: npm run check:packages)"
bash scripts/check-packages.sh >.check-packages.log 2>&1 || { cat .check-packages.log; exit 1; }
echo "publint and attw: every package and entry point OK (full output: .check-packages.log)"

status=0
results=()
if [[ "${1:-}" != "--faults-only" ]]; then
  # The tests that need no component, on the oldest supported Node line (their
  # CLI children run on it too: they are spawned with process.execPath).
  step "unit tests on Node $("$node22/node" --version) (vitest.unit.config.ts)"
  rm -f .test-results-node22.json
  PATH="$node22:$PATH" npx vitest run --config vitest.unit.config.ts \
    --reporter=default --reporter=json --outputFile.json=.test-results-node22.json || status=1
  results+=("Node 22=.test-results-node22.json")
fi

step "infrastructure (real Kafka broker, Snowflake emulator)"
trap 'bash infra/down.sh >/dev/null 2>&1' EXIT
bash infra/up.sh || exit 1
set -a; source .infra/kafka.env; set +a

if [[ "${1:-}" != "--faults-only" ]]; then
  step "tests (Node $(node --version))"
  rm -f .test-results.json
  npx vitest run --reporter=default --reporter=json --outputFile.json=.test-results.json || status=1
  results+=(.test-results.json)
fi

step "fault suite (crashes, broker restart, hostile input, bad settings, secrets)"
rm -f .test-results-faults.json
npx vitest run --config vitest.faults.config.ts --reporter=default --reporter=json --outputFile.json=.test-results-faults.json || status=1
results+=(.test-results-faults.json)

if [[ "${1:-}" != "--faults-only" ]]; then
  # The compose stack in containers (podman, locally built images): the test
  # components above are stopped first, so the stack has the machine.
  step "live deployment (docker-compose.yml under podman; npm run test:deploy)"
  bash infra/down.sh >/dev/null 2>&1
  rm -f .test-results-deploy.json
  DEPLOY_RESULTS_JSON=.test-results-deploy.json bash deploy/test.sh || status=1
  results+=(.test-results-deploy.json)
fi

node scripts/print-test-summary.mjs "${results[@]}" || status=1
exit $status
