#!/usr/bin/env bash
# The live deployment test: `npm run test:deploy`.
# Checks what it needs from the machine (infra/prereqs.sh --deploy-only),
# installs it and builds the images (setup.sh: podman, runc and debootstrap with
# apt-get, /etc/containers/containers.conf, both as root; cached in .infra/deploy
# and podman's image store), then runs docker-compose.yml with
# deploy/compose.test.yml in its own podman-compose project
# ($DEPLOY_PROJECT, default sneakpipe-deploy-test: its own network and volumes)
# and checks it end to end (live.mjs). Host ports are free loopback ports.
# Whatever happens, the project's containers, network and volumes are removed;
# no other podman resource is touched. Ends with "deploy: N passed, N failed".
set -uo pipefail
if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then sed -n '2,11s/^# \{0,1\}//p' "$0"; exit 0; fi
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source infra/lib.sh
export DEPLOY_PROJECT="${DEPLOY_PROJECT:-sneakpipe-deploy-test}"
started=$SECONDS

bash infra/prereqs.sh --deploy-only || { echo "deploy: 0 passed, 1 failed"; exit 1; }
bash deploy/setup.sh || { echo "deploy: 0 passed, 1 failed"; exit 1; }
echo "deploy: setup took $((SECONDS - started)) s"

compose() { .infra/deploy/venv/bin/podman-compose -p "$DEPLOY_PROJECT" -f docker-compose.yml -f deploy/compose.test.yml -f .infra/deploy/compose.ports.yml "$@"; }
# Only what carries this project's label (or its volumes' and network's names).
cleanup() {
  local label="io.podman.compose.project=$DEPLOY_PROJECT" ids
  if [[ "${DEPLOY_KEEP:-}" == 1 ]]; then echo "deploy: DEPLOY_KEEP=1, leaving project $DEPLOY_PROJECT running"; return; fi
  compose down -v -t 20 > /dev/null 2>&1 || true
  ids="$(podman ps -aq --filter "label=$label")"
  [[ -n "$ids" ]] && podman rm -f -t 5 $ids > /dev/null 2>&1
  ids="$(podman volume ls -q --filter "label=$label")"
  [[ -n "$ids" ]] && podman volume rm -f $ids > /dev/null 2>&1
  podman network exists "${DEPLOY_PROJECT}_default" 2>/dev/null && podman network rm -f "${DEPLOY_PROJECT}_default" > /dev/null 2>&1
  return 0
}
[[ -f .infra/deploy/compose.ports.yml ]] || echo 'services: {}' > .infra/deploy/compose.ports.yml
cleanup # a run that was killed may have left its project behind
trap cleanup EXIT
trap 'exit 130' INT TERM

read -r KAFKA_HOST_PORT DEPLOY_PRODUCER_PORT <<< "$(two_free_ports)"
read -r DEPLOY_CONSUMER_PORT DEPLOY_PROMETHEUS_PORT <<< "$(two_free_ports)"
export KAFKA_HOST_PORT DEPLOY_PRODUCER_PORT DEPLOY_CONSUMER_PORT DEPLOY_PROMETHEUS_PORT
export KAFKA_HOST_NAME=127.0.0.1
# Host ports on loopback only (literal: podman-compose does not interpolate !override lists).
cat > .infra/deploy/compose.ports.yml <<YAML
services:
  kafka: { ports: !override ['127.0.0.1:$KAFKA_HOST_PORT:9094'] }
  producer: { ports: !override ['127.0.0.1:$DEPLOY_PRODUCER_PORT:8001'] }
  consumer: { ports: !override ['127.0.0.1:$DEPLOY_CONSUMER_PORT:8002'] }
  prometheus: { ports: !override ['127.0.0.1:$DEPLOY_PROMETHEUS_PORT:9090'] }
YAML
# Grafana is left out (profile), but the file requires its password to be set: a random one, never printed.
export GRAFANA_ADMIN_PASSWORD="$(head -c 18 /dev/urandom | base64)"

node deploy/live.mjs
status=$?
if ((status != 0)); then
  echo "deploy: last log lines of each container:"
  for name in $(podman ps -a --filter "label=io.podman.compose.project=$DEPLOY_PROJECT" --format '{{.Names}}'); do
    echo "--- $name"; podman logs --tail 15 "$name" 2>&1 | cut -c1-300
  done
fi
echo "deploy: total $((SECONDS - started)) s"
exit $status
