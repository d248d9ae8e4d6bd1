#!/usr/bin/env bash
# Debian packages the tests use, installed only when missing: Prometheus and
# promtool (scrape and alert-rule tests), node-exporter (the disk-space alert's
# metrics), Chromium (renders the HTML reports). Installing needs apt-get and
# root (infra/prereqs.sh says so up front when they are missing).
#
# Debian's prometheus and prometheus-node-exporter packages start their
# services where an init system runs; the tests start servers of their own, so
# what this install started is stopped again, and only that: the services of
# the packages it installed (systemd), or else the processes of those packages'
# programs that appeared during the install. A Prometheus or node-exporter
# that ran before, or that is not the packages' program, is never touched.
# Nothing is looked up by name.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/infra/lib.sh"

mapfile -t missing < <(missing_debian_packages)
((${#missing[@]} == 0)) && exit 0
if ! command -v apt-get >/dev/null || [[ "$(id -u)" != 0 ]]; then
  bash "$root/infra/prereqs.sh" || exit 1
fi

# The packages being installed that run a service, and their programs.
services=()
programs=()
for package in "${missing[@]}"; do
  case "$package" in
    prometheus | prometheus-node-exporter)
      services+=("$package")
      programs+=("/usr/bin/$package")
      ;;
  esac
done

# Pids (sorted as text, for comm) of processes whose executable is one of `programs`.
program_pids() {
  local proc exe program
  for proc in /proc/[0-9]*; do
    exe="$(readlink "$proc/exe" 2>/dev/null)" || continue
    for program in "${programs[@]}"; do [[ "$exe" == "$program" ]] && echo "${proc#/proc/}"; done
  done | sort
}

before="$(program_pids)"
echo "system: installing ${missing[*]} (apt-get)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null

((${#services[@]} == 0)) && exit 0
if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null; then
  # These units did not exist before the install: nobody else's service is stopped.
  systemctl stop "${services[@]}" 2>/dev/null || true
fi
# Without systemd (e.g. a container), the init scripts start the programs themselves.
started="$(comm -13 <(echo "$before") <(program_pids))"
for pid in $started; do
  echo "system: stopping pid $pid ($(readlink "/proc/$pid/exe" 2>/dev/null)), started by the install; tests start their own"
  kill "$pid" 2>/dev/null || true
done
